"""Every table that holds a person is exported and erased through the personal data registry.

A model with a link to an account, a membership or a place in a group holds something about a
person. Each must be covered by an entry in `withpeople.core.personal_data`, so that a new one
cannot be silently left out of a person's download or left behind after erasure.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

from withpeople.core import personal_data

PERSON_MODELS = {settings.AUTH_USER_MODEL.lower(), "organisations.membership", "groups.groupmember"}


def _links_to_a_person(model) -> list[str]:
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete
        and (field.many_to_one or field.one_to_one or field.many_to_many)
        and field.related_model is not None
        and field.related_model._meta.label_lower in PERSON_MODELS
    ]


def test_every_model_that_holds_a_person_is_covered():
    covered = {label.lower() for label in personal_data.covered_models()}
    missing = [
        f"{model._meta.label} ({', '.join(links)})"
        for model in apps.get_models()
        if (links := _links_to_a_person(model)) and model._meta.label_lower not in covered
    ]
    assert not missing, f"Not in any personal data entry: {missing}"


def test_the_walk_finds_the_models_that_hold_a_person():
    """The walk sees links of every kind: to accounts, memberships and group members."""
    found = {model._meta.label for model in apps.get_models() if _links_to_a_person(model)}
    assert {
        "audit.AuditEvent",
        "diversity.DiversityAnswer",
        "groups.AccessNeeds",
        "recognition.TimeRecord",
        "works.Activity",
    } <= found


def test_every_covered_model_exists_and_every_entry_does_something():
    labels = {model._meta.label for model in apps.get_models()}
    assert personal_data.covered_models() <= labels
    for entry in personal_data.entries():
        hooks = (
            entry.export_membership,
            entry.export_group_member,
            entry.erase_membership,
            entry.erase_group_member,
            entry.unlink_account,
            entry.erase_account,
        )
        assert any(hook is not None for hook in hooks), entry.name
