"""SQLAlchemy models: regions, Compacts and their rules, organisations, users, cases, their
timelines and outcomes, funders' notices, deadlines and their reminders, calendar feeds,
signed-in sessions, API tokens, report tallies, bank holidays added or removed. One module an
area; everything is importable from here."""

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
    Outcome,
    ReferenceCounter,
)
from .deadlines import (  # noqa: F401
    PLAN_AT_NEXT_SWEEP,
    Deadline,
    DeadlinePause,
)
from .holidays import (  # noqa: F401
    BankHolidayChange,
    BankHolidayOverride,
)
from .notices import (  # noqa: F401
    Notice,
    NoticeEvent,
)
from .people import (  # noqa: F401
    ApiToken,
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
from .vocabulary import (  # noqa: F401
    AREA_ORDER,
    STATUTORY_TYPES,
    Area,
    CaseEventKind,
    CaseLevel,
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
