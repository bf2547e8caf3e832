"""The kinds of audit event: one enumeration, each with a plain-English label for the audit log.

The stored value is a short stable code; the label is what an admin reads and filters by.
A service that does something worth auditing records one of these (see
`withpeople.audit.services.audit_record`); a string that is not a kind fails validation, so a
new kind of event is added here first, with its label.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventKind(models.TextChoices):
    # Personal, needs, payment and diversity data looked at (UK GDPR Article 5(2), accountability).
    VIEWED_PERSONAL_DATA = "viewed_personal_data", _("Personal data viewed")
    VIEWED_CONTACT_DETAILS = "viewed_contact_details", _("Contact details viewed")
    VIEWED_ACCESS_NEEDS = "viewed_access_needs", _("Access needs viewed")
    VIEWED_DIVERSITY = "viewed_diversity", _("Diversity figures viewed")
    VIEWED_PAYMENTS = "viewed_payments", _("Payments viewed")
    VIEWED_EXPENSE_CLAIM = "viewed_expense_claim", _("Expense claim viewed")
    VIEWED_RECEIPT = "viewed_receipt", _("Receipt viewed")
    VIEWED_RECOGNITION_PREFERENCE = (
        "viewed_recognition_preference",
        _("Recognition preference viewed"),
    )
    # Downloads.
    EXPORTED_PERSONAL_DATA = "exported_personal_data", _("Personal data downloaded")
    EXPORTED_FINANCE = "exported_finance", _("Finance export downloaded")
    EXPORTED_WORK_RECORD = "exported_work_record", _("Record of a piece of work downloaded")
    EXPORTED_RESULTS = "exported_results", _("Review cycle results downloaded")
    EXPORTED_ACTIONS = "exported_actions", _("Action plan downloaded")
    EXPORTED_ANSWERS = "exported_answers", _("Feedback answers downloaded")
    MADE_EVIDENCE_PACK = "made_evidence_pack", _("Evidence pack made")
    # Feedback and You said, we did.
    ENTERED_FEEDBACK_RESPONSE = "entered_feedback_response", _("Feedback response entered")
    UPLOADED_FEEDBACK_RESPONSES = "uploaded_feedback_responses", _("Feedback file uploaded")
    IMPORTED_FEEDBACK_RESPONSES = "imported_feedback_responses", _("Feedback responses imported")
    CHOSE_STORY = "chose_story", _("Story chosen for You said, we did")
    UNCHOSE_STORY = "unchose_story", _("Story taken off You said, we did")
    # The evidence that places a piece of work on the ladder.
    CHANGED_ACTIVITY = "changed_activity", _("Activity changed")
    #: Before evidence was withdrawn rather than deleted; kept so that old entries read well.
    DELETED_ACTIVITY = "deleted_activity", _("Activity deleted")
    WITHDREW_ACTIVITY = "withdrew_activity", _("Activity withdrawn")
    CHANGED_DECISION = "changed_decision", _("Decision changed")
    DELETED_DECISION = "deleted_decision", _("Decision deleted")
    WITHDREW_DECISION = "withdrew_decision", _("Decision withdrawn")
    REMOVED_ASPECT = "removed_aspect", _("Aspect removed from a plan")
    RECORDED_AGREEMENT_FOR_MEMBER = (
        "recorded_agreement_for_member",
        _("Agreement recorded on a member's behalf"),
    )
    # Meetings the group plans, and what became of them.
    PLANNED_MEETING = "planned_meeting", _("Meeting planned")
    CHANGED_MEETING = "changed_meeting", _("Meeting changed")
    CANCELLED_MEETING = "cancelled_meeting", _("Meeting cancelled")
    RECORDED_ATTENDANCE = "recorded_attendance", _("Attendance at a meeting recorded")
    RESET_CALENDAR_FEED = "reset_calendar_feed", _("Calendar feed address reset")
    # Signing in (OWASP ASVS 5.0, V6: changes to how people authenticate are logged).
    CHANGED_SECOND_FACTOR_RULE = (
        "changed_second_factor_rule",
        _("Who must use a second factor changed"),
    )
    RESET_SECOND_FACTOR = "reset_second_factor", _("Second factor reset by an admin")
    CHANGED_SINGLE_SIGN_ON = "changed_single_sign_on", _("Single sign-on changed")
    JOINED_BY_SINGLE_SIGN_ON = (
        "joined_by_single_sign_on",
        _("Invitation accepted by signing in with the organisation's account"),
    )
    # Personal data rights and retention.
    WITHDREW_DIVERSITY_CONSENT = "withdrew_diversity_consent", _("Diversity consent withdrawn")
    ERASED_PERSON = "erased_person", _("Person erased")
    APPLIED_RETENTION = "applied_retention", _("Retention periods applied")
