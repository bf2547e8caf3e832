"""The history of a piece of work: every version kept of it, its aspects, its evidence and its
working agreement, in date order, with who, when, why and what changed.

The versions are kept by django-simple-history (``Work.history``, ``Aspect.history``,
``Activity.history``, ``Decision.history``) and the working agreement's own versions
(`withpeople.groups.models.AgreementVersion`). This module reads them; the services write
them. A page of the history costs the same however long the history is: the entries are
listed as (date, table, id) first, cut into a page, and only that page is read in full, with a
fixed number of queries (see `history_page`).

`history_summary` counts the history for the evidence pack: how many records, changes and
withdrawals, and by whom.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from withpeople.domain import history as rules
from withpeople.groups.models import AGREEMENT_SECTIONS, AgreementVersion
from withpeople.works.models import Activity, Aspect, Decision, Work

#: What each kind of record shows in its history, in reading order. Fields not listed (ids,
#: positions, times kept for sorting) are not differences anyone needs to read.
WORK_FIELDS = ("title", "summary", "level", "status", "starts_on", "ends_on")
OPENNESS_FIELDS = ("openness_published_at",)
ASPECT_FIELDS = ("name", "intended_rung", "reason_category", "reason_explanation")
ACTIVITY_FIELDS = (
    "aspect",
    "date",
    "kind",
    "title",
    "notes",
    "explained_services",
    "informed_of_decisions",
    "views_sought",
    "partners_shaped_agenda",
    "partners_generated_options",
    "partners_delivered",
    "withdrawn_reason",
)
DECISION_FIELDS = (
    "aspect",
    "date",
    "summary",
    "decided_by",
    "partner_input_changed_it",
    "change",
    "feedback_given_on",
    "withdrawn_reason",
)
AGREEMENT_FIELDS = tuple(name for name, _label in AGREEMENT_SECTIONS)

#: (key, model, fields, what it is called on the page)
_SOURCES: tuple[tuple[str, type[Model], tuple[str, ...], Any], ...] = (
    ("work", Work, WORK_FIELDS + OPENNESS_FIELDS, gettext_lazy("The piece of work")),
    ("aspect", Aspect, ASPECT_FIELDS, gettext_lazy("Aspect")),
    ("activity", Activity, ACTIVITY_FIELDS, gettext_lazy("Activity")),
    ("decision", Decision, DECISION_FIELDS, gettext_lazy("Decision")),
)
_FIELDS = {key: fields for key, _m, fields, _t in _SOURCES}
_MODELS = {key: model for key, model, _f, _t in _SOURCES}
_TITLES = {key: title for key, _m, _f, title in _SOURCES}

#: What a kind of entry is called on the page.
KIND_LABELS = {
    rules.RECORDED: gettext_lazy("Recorded"),
    rules.CHANGED: gettext_lazy("Changed"),
    rules.WITHDRAWN: gettext_lazy("Withdrawn"),
    rules.REMOVED: gettext_lazy("Removed"),
}


@dataclass
class Difference:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Entry:
    """One change in the history of a piece of work."""

    when: dt.datetime
    kind: str
    what: str
    subject: str
    who: str
    why: str
    differences: list[Difference] = field(default_factory=list)
    personal_data_erased: bool = False
    #: (table, row id) in `history_index`.
    ref: tuple[str, int] = ("", 0)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _history_rows(work_ids: Sequence[int]) -> dict[str, QuerySet]:
    return {
        "work": Work.history.filter(id__in=work_ids),
        "aspect": Aspect.history.filter(work_id__in=work_ids),
        "activity": Activity.history.filter(work_id__in=work_ids),
        "decision": Decision.history.filter(work_id__in=work_ids),
    }


def _agreement_versions(work_ids: Sequence[int]) -> QuerySet[AgreementVersion]:
    return AgreementVersion.objects.filter(agreement__group__work__id__in=work_ids)


def history_index(work: Work) -> list[tuple[dt.datetime, str, int]]:
    """Every entry of the history as (when, table, row id), newest first: cheap to list and to
    cut into pages."""
    index: list[tuple[dt.datetime, str, int]] = []
    for key, rows in _history_rows([work.pk]).items():
        index.extend((when, key, pk) for pk, when in rows.values_list("history_id", "history_date"))
    index.extend(
        (when, "agreement", pk)
        for pk, when in _agreement_versions([work.pk]).values_list("pk", "created_at")
    )
    index.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
    return index


def _kind(key: str, row, previous) -> str:
    if row.history_type == "-":
        return rules.REMOVED
    if previous is None or row.history_type == "+":
        return rules.RECORDED
    if key in ("activity", "decision") and row.withdrawn_at and not previous.withdrawn_at:
        return rules.WITHDRAWN
    return rules.CHANGED


def _who(row_user, erased: bool) -> str:
    if row_user is not None:
        return row_user.name or _("Someone without a name")
    if erased:
        return _("Personal data erased")
    return _("WithPeople (imported or set up)")


def _shown(model: type[Model], name: str, value: Any, aspect_names: dict[int, str]) -> str:
    """A value as the page shows it."""
    if value is None or value == "":
        return _("(empty)")
    if name == "aspect":
        return aspect_names.get(value, _("an aspect since removed"))
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    return str(value)


def _state(row, fields: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(row, f"{name}_id" if name == "aspect" else name) for name in fields}


def _subject(key: str, row, aspect_names: dict[int, str]) -> str:
    if key == "work":
        return row.title
    if key == "aspect":
        return row.name
    if key == "activity":
        kind = str(dict(Activity._meta.get_field("kind").flatchoices).get(row.kind, row.kind))
        return row.title or _("%(kind)s on %(date)s") % {
            "kind": kind,
            "date": date_format(row.date, "j F Y"),
        }
    return _("Decision of %(date)s about %(aspect)s") % {
        "date": date_format(row.date, "j F Y"),
        "aspect": aspect_names.get(row.aspect_id, _("an aspect since removed")),
    }


def _aspect_names(work_ids: Sequence[int]) -> dict[int, str]:
    """The last name of every aspect these pieces of work have had, removed ones too."""
    return dict(
        Aspect.history.filter(work_id__in=work_ids)
        .order_by("history_date", "history_id")
        .values_list("id", "name")
    )


def _model_entries(key: str, history_ids: list[int], aspect_names: dict[int, str]) -> list[Entry]:
    """The entries of one table for these history rows, each with its earlier version, in two
    queries whatever their number."""
    model = _MODELS[key]
    rows = list(
        model.history.filter(history_id__in=history_ids).select_related("history_user")  # type: ignore[attr-defined]
    )
    object_ids = {row.id for row in rows}
    versions: defaultdict[int, list] = defaultdict(list)
    for version in model.history.filter(id__in=object_ids).order_by("history_date", "history_id"):  # type: ignore[attr-defined]
        versions[version.id].append(version)
    entries = []
    fields = _FIELDS[key]
    for row in rows:
        earlier = [v for v in versions[row.id] if v.history_id != row.history_id]
        earlier = [
            v
            for v in earlier
            if (v.history_date, v.history_id) < (row.history_date, row.history_id)
        ]
        previous = earlier[-1] if earlier else None
        kind = _kind(key, row, previous)
        changes = (
            []
            if kind == rules.REMOVED
            else rules.differences(
                None if previous is None else _state(previous, fields), _state(row, fields), fields
            )
        )
        entries.append(
            Entry(
                when=row.history_date,
                kind=kind,
                what=str(_TITLES[key]),
                subject=_subject(key, row, aspect_names),
                who=_who(row.history_user, row.personal_data_erased),
                why=row.history_change_reason or "",
                differences=[
                    Difference(
                        field=change.field,
                        label=str(model._meta.get_field(change.field).verbose_name).capitalize(),
                        old=""
                        if previous is None
                        else _shown(model, change.field, change.old, aspect_names),
                        new=_shown(model, change.field, change.new, aspect_names),
                    )
                    for change in changes
                ],
                personal_data_erased=row.personal_data_erased,
                ref=(key, row.history_id),
            )
        )
    return entries


def _agreement_entries(version_ids: list[int]) -> list[Entry]:
    versions = list(
        AgreementVersion.objects.filter(pk__in=version_ids).select_related("created_by__user")
    )
    earlier_numbers = {(v.agreement_id, v.number - 1) for v in versions if v.number > 1}
    earlier = {
        (v.agreement_id, v.number): v
        for v in AgreementVersion.objects.filter(
            agreement_id__in={a for a, _n in earlier_numbers},
            number__in={n for _a, n in earlier_numbers},
        )
    }
    labels = dict(AGREEMENT_SECTIONS)
    entries = []
    for version in versions:
        previous = earlier.get((version.agreement_id, version.number - 1))
        changes = rules.differences(
            None if previous is None else _state(previous, AGREEMENT_FIELDS),
            _state(version, AGREEMENT_FIELDS),
            AGREEMENT_FIELDS,
        )
        author = version.created_by.user if version.created_by_id else None
        entries.append(
            Entry(
                when=version.created_at,
                kind=rules.RECORDED if previous is None else rules.CHANGED,
                what=_("Working agreement"),
                subject=_("Version %(number)s") % {"number": version.number},
                who=_who(author, version.created_by_id is None),
                why=version.change_note,
                differences=[
                    Difference(
                        field=change.field,
                        label=str(labels[change.field]).capitalize(),
                        old=""
                        if previous is None
                        else _shown(AgreementVersion, change.field, change.old, {}),
                        new=_shown(AgreementVersion, change.field, change.new, {}),
                    )
                    for change in changes
                ],
                ref=("agreement", version.pk),
            )
        )
    return entries


def history_entries(
    index: Iterable[tuple[dt.datetime, str, int]], *, work_ids: Sequence[int]
) -> list[Entry]:
    """The entries for these items of a `history_index`, in the same order."""
    index = list(index)
    by_key: defaultdict[str, list[int]] = defaultdict(list)
    for _when, key, pk in index:
        by_key[key].append(pk)
    aspect_names = _aspect_names(work_ids) if by_key else {}
    found: dict[tuple[str, int], Entry] = {}
    for key, ids in by_key.items():
        made = (
            _agreement_entries(ids)
            if key == "agreement"
            else _model_entries(key, ids, aspect_names)
        )
        found.update((entry.ref, entry) for entry in made)
    return [found[(key, pk)] for _when, key, pk in index if (key, pk) in found]


# --- The summary for the evidence pack --------------------------------------------------------


def history_summary(
    works: Work | QuerySet[Work],
    start: dt.datetime | dt.date | None = None,
    end: dt.datetime | dt.date | None = None,
) -> rules.Summary:
    """How many records, changes, withdrawals and removals the history of these pieces of work
    holds between `start` and `end` (inclusive; dates mean whole days), and how many entries
    each person made, by display name. In five queries, whatever the number of works."""
    return history_summaries(works, start, end)[0]


def history_summaries(
    works: Work | QuerySet[Work],
    start: dt.datetime | dt.date | None = None,
    end: dt.datetime | dt.date | None = None,
) -> tuple[rules.Summary, dict[int, rules.Summary]]:
    """`history_summary` of all these pieces of work together, and of each by id, in the same
    five queries."""
    ids = [works.pk] if isinstance(works, Work) else works.values("pk")
    when: dict[str, Any] = {}
    if start is not None:
        when["history_date__gte"] = _moment(start, end_of_day=False)
    if end is not None:
        when["history_date__lte"] = _moment(end, end_of_day=True)
    entries: dict[int, list[tuple[str, str]]] = {}
    for key, rows in _history_rows(ids).items():  # type: ignore[arg-type]
        withdrawable = key in ("activity", "decision")
        for work_id, history_type, withdrawn, name, erased in rows.filter(**when).values_list(
            "id" if key == "work" else "work_id",
            "history_type",
            "withdrawn_at" if withdrawable else "history_type",
            "history_user__name",
            "personal_data_erased",
        ):
            if history_type == "+":
                kind = rules.RECORDED
            elif history_type == "-":
                kind = rules.REMOVED
            else:
                # A withdrawn record is never changed again, so its one change with a
                # withdrawal date is the withdrawal.
                kind = rules.WITHDRAWN if withdrawable and withdrawn else rules.CHANGED
            entries.setdefault(work_id, []).append((kind, _name(name, erased)))
    agreement_when = {k.replace("history_date", "created_at"): v for k, v in when.items()}
    for work_id, number, name, author in (
        _agreement_versions(ids)  # type: ignore[arg-type]
        .filter(**agreement_when)
        .values_list("agreement__group__work__id", "number", "created_by__user__name", "created_by")
    ):
        kind = rules.RECORDED if number == 1 else rules.CHANGED
        entries.setdefault(work_id, []).append((kind, _name(name, author is None)))
    total = rules.summarise(entry for work_entries in entries.values() for entry in work_entries)
    return total, {work_id: rules.summarise(found) for work_id, found in entries.items()}


def _name(name: str | None, erased: bool) -> str:
    if name:
        return name
    return _("Personal data erased") if erased else _("WithPeople (imported or set up)")


def _moment(value: dt.datetime | dt.date, *, end_of_day: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    moment = dt.datetime.combine(value, dt.time.max if end_of_day else dt.time.min)
    return timezone.make_aware(moment)
