"""The demo's people: one officer for most upper-tier Compacts, the regional mediator, a
viewer, a funder's user, a voluntary organisation's user and an administrator."""

from __future__ import annotations

from ...models import Role

# (email, name, role, Compact code, organisation name)
USERS: tuple[tuple[str, str, Role, str | None, str | None], ...] = (
    ("officer.bir@example.org", "Priya Shah", Role.OFFICER, "BIR", None),
    ("officer.war@example.org", "Helen Carter", Role.OFFICER, "WAR", None),
    ("officer.cov@example.org", "Daniel Okafor", Role.OFFICER, "COV", None),
    ("officer.dud@example.org", "Sarah Whitehouse", Role.OFFICER, "DUD", None),
    ("officer.saw@example.org", "Imran Hussain", Role.OFFICER, "SAW", None),
    ("officer.sts@example.org", "Rachel Evans", Role.OFFICER, "STS", None),
    ("officer.wlv@example.org", "Gurpreet Sandhu", Role.OFFICER, "WLV", None),
    ("officer.wor@example.org", "Tom Harris", Role.OFFICER, "WOR", None),
    ("officer.shr@example.org", "Megan Lloyd", Role.OFFICER, "SHR", None),
    ("mediator.wm@example.org", "Margaret O'Neill", Role.MEDIATOR, None, None),
    ("viewer.wm@example.org", "James Whitfield", Role.VIEWER, None, None),
    ("funder.bcc@example.org", "Andrew Collins", Role.FUNDER, "BIR", "Birmingham City Council"),
    ("admin@example.org", "Claire Bennett", Role.ADMIN, None, None),
    # A voluntary organisation's own person: raises its concerns and follows its cases.
    (
        "org.sparkbrook@example.org",
        "Nadia Hussain",
        Role.ORGANISATION,
        None,
        "Sparkbrook Youth Project",
    ),
)
MEDIATOR_EMAIL = "mediator.wm@example.org"

# One account for each role, as the run command lists them.
DEMO_ACCOUNTS: tuple[str, ...] = (
    "officer.bir@example.org",
    "officer.war@example.org",
    "mediator.wm@example.org",
    "viewer.wm@example.org",
    "funder.bcc@example.org",
    "org.sparkbrook@example.org",
    "admin@example.org",
)


def officer_email(code: str) -> str:
    """The address of the demo officer of the Compact with this code (who may not exist)."""
    return f"officer.{code.lower()}@example.org"
