"""Pages for meetings: plan, see, change, cancel, reply, record attendance, calendar feeds.

Who may do what follows the meeting's group (`withpeople.meetings.access`). Two pages need no
sign-in, and each gives only what its secret allows: the reply page of a signed link (one
invitation, until the meeting ends) and a person's calendar feed (their meetings).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from withpeople.core.forms import apply_validation_error
from withpeople.core.once import once
from withpeople.core.pagination import paginate
from withpeople.domain.rights import Right
from withpeople.groups.access import group_view
from withpeople.meetings import forms, ical, links, selectors, services
from withpeople.meetings.access import ORGANISE, meeting_view, own_invitation
from withpeople.meetings.models import CalendarFeed, Invitation, Meeting
from withpeople.meetings.when import when_in_words
from withpeople.organisations.access import ADMINS, organisation_view


def _data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _to_meeting(request: HttpRequest, meeting: Meeting):
    return redirect("meetings:detail", org_slug=request.organisation.slug, meeting_pk=meeting.pk)


MEETINGS_PER_PAGE = 25


@group_view(right=Right.READ)
@require_http_methods(["GET"])
def group_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    group = request.group
    meetings = paginate(
        request,
        selectors.group_meetings(group),
        per_page=MEETINGS_PER_PAGE,
        label=_("Pages of meetings"),
    )
    for meeting in meetings:
        meeting.when = when_in_words(meeting.starts_at, meeting.ends_at)
    return render(request, "meetings/group_meetings.html", {"group": group, "meetings": meetings})


@group_view(right=Right.RECORD)
@once
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = request.group
    form = forms.MeetingForm(_data(request), group=group)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(
                group=group,
                invitees=form.cleaned_data["invitees"],
                aspects=form.cleaned_data.get("aspects") or (),
                planned_by=request.membership,
                actor=request.user,
                **form.meeting_fields(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The meeting is planned and everyone invited is told."))
            return _to_meeting(request, meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "group": group})


@meeting_view(right=ORGANISE)
@require_http_methods(["GET", "POST"])
def meeting_change(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = request.meeting
    if meeting.is_cancelled or meeting.has_ended():
        return _closed(request, meeting)
    form = forms.MeetingForm(
        _data(request), group=meeting.group, meeting=meeting, initial=forms.meeting_initial(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_change(
                meeting=meeting,
                invitees=form.cleaned_data.get("invitees") or (),
                aspects=form.cleaned_data.get("aspects") if "aspects" in form.fields else None,
                actor=request.user,
                **form.meeting_fields(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The meeting is changed and everyone invited is told."))
            return _to_meeting(request, meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "group": meeting.group, "meeting": meeting},
    )


def _closed(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return render(request, "meetings/closed.html", {"meeting": meeting}, status=409)


@meeting_view(right=ORGANISE)
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = request.meeting
    if meeting.is_cancelled or meeting.has_ended():
        return _closed(request, meeting)
    form = forms.CancelForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                meeting=meeting, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The meeting is cancelled and everyone invited is told."))
            return _to_meeting(request, meeting)
    return render(request, "meetings/cancel.html", {"form": form, "meeting": meeting})


@meeting_view(right=Right.READ)
@require_http_methods(["GET"])
def meeting_detail(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = request.meeting
    organiser = meeting.organiser
    invitations = selectors.invitations_for_organisers(meeting) if organiser else []
    for invitation in invitations:
        if not invitation.member.membership_id:
            invitation.reply_path = links.reply_path(invitation)
    if organiser and any(i.access_needs or i.standing_needs for i in invitations):
        services.reply_needs_viewed(meeting=meeting, actor=request.user)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "when": when_in_words(meeting.starts_at, meeting.ends_at),
            "organiser": organiser,
            "invitations": invitations,
            "counts": selectors.reply_counts(meeting),
            "own": own_invitation(request.membership, meeting),
            "ended": meeting.has_ended(),
        },
    )


def _reply_form(request: HttpRequest, invitation: Invitation) -> forms.ReplyForm:
    initial = {
        "reply": invitation.reply,
        "access_needs": invitation.access_needs,
        "recognition": invitation.recognition or services.recognition_wish_for(invitation.member),
    }
    return forms.ReplyForm(_data(request), initial=initial)


def _save_reply(form: forms.ReplyForm, invitation: Invitation) -> bool:
    if not form.is_valid():
        return False
    try:
        services.invitation_reply(invitation=invitation, **form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    return True


@meeting_view(right=Right.READ)
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = request.meeting
    invitation = own_invitation(request.membership, meeting)
    if invitation is None:
        raise Http404
    if meeting.is_cancelled or meeting.has_ended():
        return _closed(request, meeting)
    form = _reply_form(request, invitation)
    if request.method == "POST" and _save_reply(form, invitation):
        messages.success(request, _("Thank you. Your reply has been saved."))
        return _to_meeting(request, meeting)
    return render(
        request,
        "meetings/reply.html",
        {
            "form": form,
            "meeting": meeting,
            "when": when_in_words(meeting.starts_at, meeting.ends_at),
        },
    )


@require_http_methods(["GET", "POST"])
def reply_link(request: HttpRequest, token: str) -> HttpResponse:
    """Reply through a signed link: no sign-in, and only this one invitation."""
    try:
        opened = links.open_link(token)
    except links.LinkProblem as problem:
        return render(
            request,
            "meetings/link_problem.html",
            {
                "why": problem.why,
                "meeting": problem.invitation.meeting if problem.invitation else None,
            },
            status=410 if problem.invitation else 404,
        )
    invitation = opened.invitation
    meeting = invitation.meeting
    form = _reply_form(request, invitation)
    saved = request.method == "POST" and _save_reply(form, invitation)
    if saved:
        return render(
            request, "meetings/reply_saved.html", {"meeting": meeting, "invitation": invitation}
        )
    return render(
        request,
        "meetings/reply.html",
        {
            "form": form,
            "meeting": meeting,
            "when": when_in_words(meeting.starts_at, meeting.ends_at),
            "by_link": True,
        },
    )


@meeting_view(right=ORGANISE)
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = request.meeting
    if meeting.is_cancelled or not meeting.has_ended():
        return render(request, "meetings/not_yet.html", {"meeting": meeting}, status=409)
    invitations = list(meeting.invitations.all())
    if meeting.attendance_recorded_at:
        chosen = [i.member_id for i in invitations if i.attended]
    else:
        chosen = [i.member_id for i in invitations if i.reply == "yes"]
    initial = {"attended": chosen}
    if meeting.activity_id:
        from withpeople.domain.work_record import PARTNER_PARTS

        initial["parts"] = [p for p in PARTNER_PARTS if getattr(meeting.activity, p)]
    form = forms.AttendanceForm(_data(request), meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                meeting=meeting,
                attended=form.cleaned_data["attended"],
                parts=form.cleaned_data.get("parts") or (),
                actor=request.user,
                recorded_by=request.membership,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Attendance is recorded. The activity is in the evidence, and partners who "
                    "came are asked to confirm their time."
                ),
            )
            return _to_meeting(request, meeting)
    return render(request, "meetings/attendance.html", {"form": form, "meeting": meeting})


# --- The person's own meetings and calendar feed ---------------------------------------------


def _feed_url(request: HttpRequest, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(reverse("meetings:feed", kwargs={"token": feed.token}))


@organisation_view()
@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    meetings = list(selectors.upcoming(selectors.invited_meetings(request.membership)))
    for meeting in meetings:
        meeting.when = when_in_words(meeting.starts_at, meeting.ends_at)
    feed = CalendarFeed.objects.filter(membership=request.membership).first()
    return render(
        request,
        "meetings/mine.html",
        {"meetings": meetings, "feed_url": _feed_url(request, feed) if feed else ""},
    )


@organisation_view()
@require_http_methods(["POST"])
def feed_reset(request: HttpRequest) -> HttpResponse:
    """Make the calendar address, or a new one: only when the button was pressed."""
    if request.POST.get("make") == "new":
        exists = CalendarFeed.objects.filter(membership=request.membership).exists()
        services.calendar_feed_reset(membership=request.membership, actor=request.user)
        messages.success(
            request,
            _("Your calendar address has changed. The old one no longer works.")
            if exists
            else _("Your calendar address is ready."),
        )
    return redirect("meetings:mine", org_slug=request.organisation.slug)


@require_http_methods(["GET"])
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's meetings as an iCalendar feed: the token is the only key; a wrong one 404s."""
    found = CalendarFeed.objects.select_related("membership__organisation").filter(token=token)
    calendar_feed = found.first()
    if calendar_feed is None:
        raise Http404
    membership = calendar_feed.membership
    meetings = selectors.invited_meetings(membership)
    body = ical.feed_calendar(meetings, name=f"{membership.organisation.name} meetings")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@organisation_view(roles=ADMINS)
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    """When the organisation's meetings send reminders (admins)."""
    current = services.reminder_offsets(request.organisation)
    form = forms.ReminderSettingsForm(
        _data(request), initial={"reminders": [str(m) for m in current]}
    )
    if request.method == "POST" and form.is_valid():
        services.reminder_settings_update(
            organisation=request.organisation,
            minutes=[int(m) for m in form.cleaned_data["reminders"]],
        )
        messages.success(request, _("The reminder times have been saved."))
        return redirect("meetings:mine", org_slug=request.organisation.slug)
    return render(request, "meetings/reminder_settings.html", {"form": form})
