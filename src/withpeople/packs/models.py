"""An organisation's evidence pack being made in the background.

A pack of a whole organisation takes several seconds to lay out as a PDF (see
benchmarks/evidence_pack.py), too long to keep a page waiting, so the page asks for it and a
worker makes it; the person who asked follows its progress on a page that needs no JavaScript,
and downloads it from there. Only they see it: it holds the pieces of work they may see.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from withpeople.organisations.models import Membership, Organisation


class PackJobStatus(models.TextChoices):
    WAITING = "waiting", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be made")


class PackJobQuerySet(models.QuerySet["PackJob"]):
    def for_member(self, membership: Membership) -> PackJobQuerySet:
        """A member's own packs: nobody else's, and never another organisation's."""
        return self.filter(organisation_id=membership.organisation_id, requested_by=membership)


class PackJob(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="pack_jobs",
    )
    requested_by = models.ForeignKey(
        Membership,
        verbose_name=_("asked for by"),
        on_delete=models.CASCADE,
        related_name="pack_jobs",
    )
    starts_on = models.DateField(_("period starts on"))
    ends_on = models.DateField(_("period ends on"))
    status = models.CharField(
        _("status"), max_length=20, choices=PackJobStatus.choices, default=PackJobStatus.WAITING
    )
    pdf = models.BinaryField(_("PDF"), blank=True, editable=False)
    checksum = models.CharField(_("SHA-256 of the record"), max_length=64, blank=True)
    work_count = models.PositiveIntegerField(_("pieces of work"), default=0)
    created_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = PackJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence pack being made")
        verbose_name_plural = _("evidence packs being made")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.starts_on} to {self.ends_on}"

    @property
    def is_finished(self) -> bool:
        return self.status != PackJobStatus.WAITING


class ExportJobQuerySet(models.QuerySet["ExportJob"]):
    def for_member(self, membership: Membership) -> ExportJobQuerySet:
        """A member's own files: nobody else's, and never another organisation's."""
        return self.filter(organisation_id=membership.organisation_id, requested_by=membership)

    def expired(self, now) -> ExportJobQuerySet:
        """Files past their time, and asks that never finished by then."""
        return self.filter(expires_at__lte=now)


class ExportJob(models.Model):
    """A large spreadsheet (Excel or OpenDocument) being made in the background.

    A spreadsheet is built whole in memory, so a table of tens of thousands of rows takes
    seconds: a worker makes it, the person who asked follows its progress on a page that needs
    no JavaScript, and downloads it from there. The file is theirs alone, kept for
    `withpeople.packs.services.EXPORT_KEPT`, then deleted by `withpeople tick`.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    requested_by = models.ForeignKey(
        Membership,
        verbose_name=_("asked for by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    #: Which table: a key of `withpeople.packs.exports.KINDS`.
    kind = models.CharField(_("table"), max_length=20)
    #: What the table is of (a period, a review cycle), as the kind reads it.
    params = models.JSONField(_("what the table is of"), default=dict)
    file_format = models.CharField(_("file format"), max_length=10)
    status = models.CharField(
        _("status"), max_length=20, choices=PackJobStatus.choices, default=PackJobStatus.WAITING
    )
    content = models.BinaryField(_("file"), blank=True, editable=False)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("deleted at"), db_index=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("file being made")
        verbose_name_plural = _("files being made")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.kind} {self.file_format}"

    @property
    def is_finished(self) -> bool:
        return self.status != PackJobStatus.WAITING
