"""Audit events are one enumeration of kinds, written by the services that do the thing."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from withpeople.audit.kinds import AuditEventKind
from withpeople.audit.models import AuditEvent
from withpeople.audit.services import audit_record
from withpeople.feedback import services as feedback
from withpeople.feedback.models import Channel
from withpeople.feedback.tests.helpers import i_keys, make_cycle
from withpeople.groups.tests.scale import assert_queries_do_not_grow
from withpeople.testing.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_every_kind_has_its_own_plain_english_label():
    labels = [str(kind.label) for kind in AuditEventKind]
    assert len(set(labels)) == len(labels)
    for kind in AuditEventKind:
        assert "_" not in str(kind.label) and str(kind.label)[0].isupper(), kind
        assert len(kind.value) <= AuditEvent._meta.get_field("action").max_length


def test_a_string_that_is_not_a_kind_is_refused(organisation):
    with pytest.raises(ValidationError):
        audit_record(organisation=organisation, actor=None, action="viewed_something_else")
    assert not AuditEvent.objects.exists()


def test_the_data_migration_maps_the_old_codes_to_kinds(organisation):
    migration = importlib.import_module("withpeople.audit.migrations.0002_typed_event_kinds")
    # Stored the old way, before the enumeration (create() does not validate).
    for old in migration.OLD_TO_NEW:
        AuditEvent.objects.create(organisation=organisation, action=old)
    AuditEvent.objects.create(organisation=organisation, action="viewed_payments")
    migration.to_kinds(apps, None)
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == sorted(
        [
            AuditEventKind.EXPORTED_RESULTS,
            AuditEventKind.EXPORTED_ACTIONS,
            AuditEventKind.CHOSE_STORY,
            AuditEventKind.UNCHOSE_STORY,
            AuditEventKind.VIEWED_PAYMENTS,
        ]
    )
    for event in AuditEvent.objects.all():
        event.full_clean()  # every stored event is now a kind
    migration.to_old_codes(apps, None)
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        *migration.OLD_TO_NEW,
        "viewed_payments",
    }


def test_entering_a_response_is_audited_by_the_service_in_its_transaction(organisation, members):
    cycle = make_cycle(organisation)
    with pytest.raises(ValidationError):
        feedback.response_enter(
            cycle=cycle,
            answers={"no-such-statement": "always"},
            channel=Channel.PAPER,
            entered_by=members["staff"].user,
            detail="paper",
        )
    assert not AuditEvent.objects.exists()  # refused: nothing saved, nothing audited
    response = feedback.response_enter(
        cycle=cycle,
        answers={i_keys(cycle)[0]: "always"},
        channel=Channel.PAPER,
        entered_by=members["staff"].user,
        detail="paper",
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.subject_id, event.actor) == (
        AuditEventKind.ENTERED_FEEDBACK_RESPONSE,
        str(response.pk),
        members["staff"].user,
    )


@pytest.mark.parametrize("query", ["", "?action=viewed_payments", "?page=2"])
def test_the_audit_log_runs_as_many_queries_with_many_events(
    client_for, members, organisation, django_assert_max_num_queries, query
):
    kinds = list(AuditEventKind)

    def grow(count: int) -> None:
        for index in range(count):
            actor = MembershipFactory(organisation=organisation).user
            audit_record(
                organisation=organisation,
                actor=actor,
                action=kinds[index % len(kinds)],
                subject=members["partner"],
            )

    grow(60)
    assert_queries_do_not_grow(
        client_for(members["admin"]),
        f"/o/example/audit/{query}",
        lambda: grow(200),
        django_assert_max_num_queries,
    )
