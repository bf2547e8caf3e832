"""Telling people in tests: a test template, and notify() with it."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from django.test import TestCase

from withpeople.notifications.kinds import NotificationKind
from withpeople.notifications.services import Recipient, notify

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "tests/notifications/example"


@pytest.fixture
def test_templates(settings):
    """The test notification's templates can be found."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES]
    settings.TEMPLATES = templates


def tell(
    recipients,
    *,
    kind=NotificationKind.CHECKIN_ROUND_OPENED,
    key="thing-1",
    organisation=None,
    thing="A round",
    attachments=None,
) -> int:
    """notify(), and the commit after it: the email is sent (with the immediate task backend)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return notify(
            kind=kind,
            organisation=organisation,
            recipients=[
                r if isinstance(r, Recipient) else Recipient.of_user(r) for r in recipients
            ],
            template=TEMPLATE,
            context={"thing": thing},
            url="http://testserver/o/example/",
            key=key,
            attachments=attachments,
        )
