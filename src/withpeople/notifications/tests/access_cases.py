from withpeople.testing.access import ACTORS, ADMINS, SIGN_IN, SIGNED_IN, Case, org


def _admins_read_notification(ctx):
    """A notification of the admin's, already read, so opening it changes nothing."""
    from django.utils import timezone

    from withpeople.notifications.models import Notification

    if "notification" not in ctx.extra:
        user = ctx.members["admin"].user
        ctx.extra["notification"] = Notification.objects.create(
            organisation=ctx.organisation,
            user=user,
            email=user.email,
            kind="checkin_round_opened",
            key="access",
            subject="A round",
            text="A round",
            url="http://127.0.0.1:8000/o/example/",
            read_at=timezone.now(),
        )
    return {"pk": ctx.extra["notification"].pk}


def _a_sent_email(ctx):
    """An email of the organisation that was sent: trying it again changes nothing."""
    from withpeople.notifications.models import EmailStatus, OutgoingEmail

    if "email" not in ctx.extra:
        ctx.extra["email"] = OutgoingEmail.objects.create(
            organisation=ctx.organisation,
            dedupe_key="access",
            to_email="someone@example.org",
            subject="A round",
            text="A round",
            message_id="<access@example.org>",
            status=EmailStatus.SENT,
        )
    return org(ctx) | {"pk": ctx.extra["email"].pk}


# Only the admin has a notification; everyone else finds nothing there.
OWN = {"anonymous": SIGN_IN, "outsider": 404, "partner": 404, "staff": 404, "admin": 302}
SIGNED_IN_POST = dict.fromkeys(ACTORS, 302) | {"anonymous": SIGN_IN}

CASES = {
    "notifications:list": Case(SIGNED_IN),
    "notifications:preferences": Case(SIGNED_IN),
    "notifications:read-all": Case(SIGNED_IN_POST, method="post"),
    "notifications:open": Case(OWN, kwargs=_admins_read_notification, method="post"),
    # The signed token is the key, for anyone: one that is not ours is refused.
    "notifications:unsubscribe": Case(
        dict.fromkeys(ACTORS, 400), kwargs=lambda ctx: {"token": "not-a-token"}
    ),
    "notifications:failed": Case(ADMINS, kwargs=org),
    "notifications:retry": Case(ADMINS | {"admin": 302}, kwargs=_a_sent_email, method="post"),
}
