"""The demo's business case and this year's self-assessments, as the panel sees them."""

from __future__ import annotations

import re

import sqlalchemy as sa

from compactcases import demo
from compactcases.demo.self_assessments import DRAFT, LATE, YEAR
from compactcases.models import Compact, Deadline, SelfAssessment, User
from tests.app.test_case_pages import text
from tests.conftest import PASSWORD
from workflows.deadlines import DeadlineStatus
from workflows.self_assessment import ReturnStatus


def test_the_demo_shows_the_business_case_and_this_year_s_roll_up(app, db, anonymous):
    demo.seed()
    demo.set_demo_passwords(PASSWORD, "pbkdf2:sha256:1000")
    db.session.commit()
    viewer = db.session.scalar(sa.select(User).where(User.email == "viewer.wm@example.org"))
    anonymous.sign_in(viewer)
    query = "start=1&start=4&start=2025&end=31&end=3&end=2027"
    page = text(anonymous.get(f"/reports/business-case?{query}"))
    headline = re.search(r"Value protected: (£[\d,.]+) central figure; range (£[\d,.]+) to", page)
    assert headline and headline[1] != "£0", page[:400]
    assert "source: Demo figure" in page and "divided by 365" in page

    statuses = dict(
        db.session.execute(
            sa.select(Compact.code, SelfAssessment.status)
            .join(SelfAssessment, SelfAssessment.compact_id == Compact.id)
            .where(SelfAssessment.year == YEAR, SelfAssessment.updated_by_id.is_not(None))
        ).all()
    )
    assert statuses[DRAFT] is ReturnStatus.DRAFT and statuses[LATE] is ReturnStatus.SUBMITTED
    assert sum(s is ReturnStatus.SUBMITTED for s in statuses.values()) >= 10
    late = db.session.scalar(
        sa.select(Deadline.status)
        .join(SelfAssessment, SelfAssessment.id == Deadline.self_assessment_id)
        .join(Compact, Compact.id == SelfAssessment.compact_id)
        .where(Compact.code == LATE)
    )
    assert late is DeadlineStatus.MISSED
    roll_up = text(anonymous.get(f"/self-assessments/{YEAR}/roll-up"))
    assert re.search(r"\d+ returns submitted, 1 in draft", roll_up)
    assert "Showing outcomes and the business case" in roll_up
