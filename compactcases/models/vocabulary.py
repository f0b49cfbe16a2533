"""The words of the domain as enums: tiers, kinds of organisation, roles, areas of the Compact,
kinds of timeline entry, who may see a document, kinds of notice, of outcome, and reminder
channels and statuses."""

from __future__ import annotations

from workflows.labels import LabelledEnum


class Tier(LabelledEnum):
    UPPER = "upper", "Upper tier"
    DISTRICT = "district", "District"


class OrganisationKind(LabelledEnum):
    STATUTORY = "statutory", "Statutory funder"
    THIRD_SECTOR = "third_sector", "Third-sector organisation"


class OrganisationType(LabelledEnum):
    COUNCIL = "council", "Council"
    NHS = "nhs", "NHS body"
    POLICE = "police", "Police"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue"
    GOVERNMENT = "government", "Government office or agency"
    CHARITY = "charity", "Charity"
    CVS = "cvs", "Council for voluntary service"
    COMMUNITY_GROUP = "community_group", "Community group"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"


STATUTORY_TYPES = frozenset(
    {
        OrganisationType.COUNCIL,
        OrganisationType.NHS,
        OrganisationType.POLICE,
        OrganisationType.FIRE_RESCUE,
        OrganisationType.GOVERNMENT,
    }
)


class Side(LabelledEnum):
    THIRD_SECTOR = "third_sector", "The third-sector organisation"
    FUNDER = "funder", "The statutory funder"


class Area(LabelledEnum):
    """The areas of a Compact a dispute can concern: the codes of the Compact."""

    FUNDING = "funding", "Funding"
    COMMISSIONING = "commissioning", "Commissioning and procurement"
    CONSULTATION = "consultation", "Consultation and policy"
    VOLUNTEERING = "volunteering", "Volunteering"
    EQUALITY = "equality", "Equality and diversity"
    COMMUNITY_GROUPS = "community_groups", "Community groups"
    BME = "bme", "BME organisations"


AREA_ORDER: list[Area] = list(Area)


class Role(LabelledEnum):
    OFFICER = "officer", "Local Compact officer"
    MEDIATOR = "mediator", "Regional mediator"
    FUNDER = "funder", "Funder"
    VIEWER = "viewer", "Regional viewer"
    ADMIN = "admin", "Administrator"
    # A person acting for one third-sector organisation: a party to its cases.
    ORGANISATION = "organisation", "Organisation user"


class CaseEventKind(LabelledEnum):
    CREATED = "created", "Case logged"
    TRANSITION = "transition", "Workflow step"
    EDIT = "edit", "Case edited"
    NOTE = "note", "Note"
    MEETING = "meeting", "Meeting"
    ASSIGNMENT = "assignment", "Case assigned"
    PAUSE = "pause", "Clock stopped"
    RESUME = "resume", "Clock restarted"
    EXTENSION = "extension", "Deadline extended"
    REMINDER = "reminder", "Reminder sent"
    MEETING_SCHEDULED = "meeting_scheduled", "Meeting scheduled"
    MEETING_CHANGED = "meeting_changed", "Meeting changed"
    MEETING_CANCELLED = "meeting_cancelled", "Meeting cancelled"
    DOCUMENT_ADDED = "document_added", "Document added"
    DOCUMENT_REMOVED = "document_removed", "Document removed"
    DOCUMENT_PURGED = "document_purged", "Document file erased"
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement recorded"
    LETTER = "letter", "Letter generated"
    REFERRAL = "referral", "Referred to the region"
    # A statement or response from a party (a funder or an organisation user) on its case.
    RESPONSE = "response", "Response from a party"


class DocumentVisibility(LabelledEnum):
    """Who may open a document: the Compact's own people, or the parties to the case too."""

    PRIVATE = "private", "Private to officers and mediators"
    PARTIES = "parties", "Shared with the parties"


class CaseLevel(LabelledEnum):
    """Where a case is held: by one local Compact, or by the region across several."""

    LOCAL = "local", "Local"
    REGIONAL = "regional", "Regional"


class NoticeEventKind(LabelledEnum):
    """What happened to a notice after it was recorded: its own history."""

    EDIT = "edit", "Notice edited"
    WITHDRAWN = "withdrawn", "Notice withdrawn"


class ReminderChannel(LabelledEnum):
    EMAIL = "email", "E-mail"
    INBOX = "inbox", "In-app"


class ReminderStatus(LabelledEnum):
    PLANNED = "planned", "Planned"
    # Claimed by one sweep, which is sending it now.
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class NoticeKind(LabelledEnum):
    FUNDING_END = "funding_end", "Ending funding"
    FUNDING_REDUCTION = "funding_reduction", "Reducing funding"
    CONSULTATION = "consultation", "Public consultation"

    @property
    def is_funding(self) -> bool:
        return self is not NoticeKind.CONSULTATION


class OutcomeKind(LabelledEnum):
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class InvitationMethod(LabelledEnum):
    """What a meeting's e-mail to one person asks of their calendar (iCalendar METHOD)."""

    REQUEST = "request", "Invitation"
    CANCEL = "cancel", "Cancellation"
