"""Who may open each page of meetings.

A meeting follows its group: everyone who may read the group sees its meetings; its members,
leads and admins plan one; whoever planned it, the group's leads and admins change, cancel and
record attendance; each person replies to their own invitation. The signed reply link and the
calendar feed need no sign-in: their secret is the key.
"""

import datetime as dt

from withpeople.testing.access import (
    ADMINS,
    API_IN_GROUP_WRITE,
    API_MEMBERS,
    API_READ_WORK,
    IN_GROUP,
    LEADS,
    MEMBERS,
    PUBLIC,
    READ_WORK,
    SIGN_IN,
    Case,
    org,
    walk_work,
)


def _work(ctx):
    return walk_work(ctx, key="meetings_work", title="Day centres")


def _meeting(ctx, *, past: bool = False):
    from django.utils import timezone

    from withpeople.meetings.services import meeting_plan

    key = "past_meeting" if past else "meeting"
    if key not in ctx.extra:
        work = _work(ctx)
        starts = timezone.now() + dt.timedelta(days=-1 if past else 5)
        ctx.extra[key] = meeting_plan(
            group=work.group,
            invitees=list(work.group.members.all()),
            planned_by=ctx.members["lead"],
            now=starts - dt.timedelta(days=3),
            title="Planning together",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            place="Town Hall",
        )
    return ctx.extra[key]


def _group(ctx):
    return org(ctx) | {"pk": _work(ctx).group_id}


def _m(ctx):
    return org(ctx) | {"meeting_pk": _meeting(ctx).pk}


def _past(ctx):
    return org(ctx) | {"meeting_pk": _meeting(ctx, past=True).pk}


def _reply_token(ctx):
    from withpeople.meetings.links import reply_token

    return {"token": reply_token(_meeting(ctx).invitations.first())}


def _feed_token(ctx):
    from withpeople.meetings.services import calendar_feed_for

    _meeting(ctx)
    return {"token": calendar_feed_for(ctx.members["member"]).token}


def _api_org(ctx):
    return {"slug": ctx.organisation.slug}


def _api_group(ctx):
    return _api_org(ctx) | {"group_id": _work(ctx).group_id}


def _api_m(ctx):
    return _api_org(ctx) | {"meeting_id": _meeting(ctx).pk}


def _api_past(ctx):
    return _api_org(ctx) | {"meeting_id": _meeting(ctx, past=True).pk}


#: A meeting in the past: refused (422) for those who may plan one, and nothing saved.
def _past_plan(ctx):
    return {
        "title": "Too late",
        "starts_at": "2020-01-01T10:00:00Z",
        "ends_at": "2020-01-01T12:00:00Z",
        "place": "Town Hall",
    }


#: Your own invitation: those invited (the group), and nobody else.
INVITED = READ_WORK | {"nonmember": 404, "admin": 404}
#: The API: the organisers only (422: a meeting not yet held has no attendance).
API_ORGANISERS = LEADS | {"anonymous": 401}
API_ORGANISERS_WRITE = API_ORGANISERS | {"lead": 422, "partner_lead": 422, "admin": 422}
#: A reply to a meeting that has happened: 422 for those invited, 404 for anyone else.
API_INVITED_LATE = INVITED | {"anonymous": 401, "member": 422, "lead": 422, "partner_lead": 422}
#: An empty POST changes nothing and goes back to the person's meetings.
FEED_RESET = {"anonymous": SIGN_IN, "outsider": 404, "partner": 302, "staff": 302, "admin": 302}

CASES = {
    "meetings:group": Case(READ_WORK, kwargs=_group, about_work=True),
    "meetings:create": Case(IN_GROUP, kwargs=_group, about_work=True),
    "meetings:mine": Case(MEMBERS, kwargs=org),
    "meetings:reminders": Case(ADMINS, kwargs=org),
    "meetings:feed-reset": Case(FEED_RESET, kwargs=org, method="post"),
    "meetings:detail": Case(READ_WORK, kwargs=_m, about_work=True),
    "meetings:change": Case(LEADS, kwargs=_m, about_work=True),
    "meetings:cancel": Case(LEADS, kwargs=_m, about_work=True),
    "meetings:attendance": Case(LEADS, kwargs=_past, about_work=True),
    "meetings:reply": Case(INVITED, kwargs=_m, about_work=True),
    "meetings:reply-link": Case(PUBLIC, kwargs=_reply_token),
    "meetings:feed": Case(PUBLIC, kwargs=_feed_token),
    "api:list_meetings": Case(API_MEMBERS, kwargs=_api_org),
    "api:get_meeting": Case(API_READ_WORK, kwargs=_api_m, about_work=True),
    "api:plan_meeting": Case(
        API_IN_GROUP_WRITE,
        kwargs=_api_group,
        method="post",
        data=_past_plan,
        content_type="application/json",
        about_work=True,
    ),
    "api:list_invitations": Case(API_ORGANISERS, kwargs=_api_m, about_work=True),
    "api:reply_to_meeting": Case(
        API_INVITED_LATE,
        kwargs=_api_past,
        method="put",
        data=lambda ctx: {"reply": "yes"},
        content_type="application/json",
        about_work=True,
    ),
    "api:record_attendance": Case(
        API_ORGANISERS_WRITE,
        kwargs=_api_m,
        method="post",
        data=lambda ctx: {"attended": []},
        content_type="application/json",
        about_work=True,
    ),
}
