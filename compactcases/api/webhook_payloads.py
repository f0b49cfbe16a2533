"""How cases, notices and funding agreements appear in webhook payloads: as the API shows
them, so a receiver can read an event with the same code that reads the API."""

from __future__ import annotations

from .. import policy
from ..models import Case, FundingAgreement, Notice
from ..webhooks import outbox
from .agreement_views import _body as agreement_body
from .case_views import _summary as case_summary
from .notice_views import _notice_body


def notice_body(notice: Notice) -> dict:
    """The notice; its case only if the notice's funder may see the case."""
    return _notice_body(
        notice, shows_case=lambda case: policy.organisation_sees_record(case, notice.funder_id)
    )


def case_body(case: Case) -> dict:
    # Plain JSON values, as the payload is stored as JSON.
    summary = case_summary(case)
    return {
        **summary,
        "state": case.state.value,
        "raised_on": case.raised_on.isoformat(),
        "closed_on": case.closed_on.isoformat() if case.closed_on else None,
    }


outbox.register_payload(Case, "case", case_body)
outbox.register_payload(Notice, "notice", notice_body)
outbox.register_payload(FundingAgreement, "agreement", agreement_body)
