"""Today's date where the Compacts are: Europe/London, whatever the server's zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    return datetime.now(LONDON).date()


def london(moment: datetime) -> datetime:
    """A stored UTC time as shown to people."""
    return moment.astimezone(LONDON)
