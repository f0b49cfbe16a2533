"""SQLAlchemy models: regions, Compacts and their rules, organisations, users, cases, their
timelines and outcomes, concerns being raised, meetings and their invitations, funders'
notices, deadlines and their reminders, calendar feeds, signed-in sessions, API tokens,
documents and their stored bytes, letter templates, report tallies, bank holidays added or
removed, imports, webhooks and report e-mails. One module an area; everything is importable
from here."""

from .agreements import (  # noqa: F401
    AgreementEvent,
    AgreementEventKind,
    FundingAgreement,
)
from .base import (  # noqa: F401
    UTCDateTime,
    enum_column,
    utcnow,
)
from .cases import (  # noqa: F401
    Case,
    CaseArea,
    CaseCompact,
    CaseEvent,
    CaseParty,
    ConcernDraft,
    Outcome,
    ReferenceCounter,
)
from .deadlines import (  # noqa: F401
    PLAN_AT_NEXT_SWEEP,
    Deadline,
    DeadlinePause,
)
from .documents import (  # noqa: F401
    MAX_FILENAME,
    Document,
    DocumentBlob,
)
from .holidays import (  # noqa: F401
    BankHolidayChange,
    BankHolidayOverride,
)
from .imports import (  # noqa: F401
    ImportedRecord,
    ImportKind,
    ImportUpload,
    OrganisationAlias,
)
from .integrations import (  # noqa: F401
    ReportMailing,
    ReportSubscription,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from .letters import LetterTemplate  # noqa: F401
from .meetings import (  # noqa: F401
    Meeting,
    MeetingAction,
    MeetingAttendee,
    MeetingMessage,
)
from .notices import (  # noqa: F401
    Notice,
    NoticeEvent,
)
from .people import (  # noqa: F401
    ApiToken,
    Invitation,
    SignInAttempt,
    User,
    UserSession,
)
from .places import (  # noqa: F401
    Compact,
    CompactRule,
    Organisation,
    Region,
)
from .reminders import (  # noqa: F401
    CalendarFeed,
    CaseUpdate,
    Reminder,
)
from .search import SEARCH_TABLE  # noqa: F401
from .tallies import (  # noqa: F401
    BLANK,
    TALLIES,
    TallyArea,
    TallyClosed,
    TallyDays,
    TallyOpened,
)
from .value import (  # noqa: F401
    SelfAssessment,
    SelfAssessmentYear,
    ValueProxy,
)
from .vocabulary import (  # noqa: F401
    AREA_ORDER,
    STATUTORY_TYPES,
    Area,
    CaseEventKind,
    CaseLevel,
    DocumentVisibility,
    InvitationMethod,
    NoticeEventKind,
    NoticeKind,
    OrganisationKind,
    OrganisationType,
    OutcomeKind,
    ReminderChannel,
    ReminderStatus,
    Role,
    Side,
    Tier,
)
