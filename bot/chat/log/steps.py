"""The questions of the guided /log (bot.chat.log.conversation) and the answers people type.

Step names the conversation's states (bot/chat/log/conversation.mmd). A draft (Guided) is a row
of `outreach import events` columns: each answer typed is checked here, put in the row, or
answered with a short hint (templates/chat/en/log_conversation.html.j2); the importer checks
the whole row again at Save.
"""

import asyncio
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Engine

from bot.chat.log import rows
from bot.chat.log.keyboards import say
from storage.imports.events import LIMITS

__all__ = ["EDITABLE", "FREE_TEXT", "GUIDE", "Guided", "Step", "parse_day", "take_date",
           "take_text"]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class Step(Enum):
    """The conversation's states; the value names the field in callback data and words."""

    TITLE = "title"
    START_DATE = "start_date"
    END_DATE = "end_date"
    MODE = "mode"
    PLACE = "place"
    TYPE = "type"
    AUDIENCES = "audiences"
    INVOLVEMENT = "involvement"
    ORGANISERS = "organisers"
    SUMMARY = "summary"
    EDIT_MENU = "edit_menu"
    PARTICIPANTS = "participants"
    COMMITTEE_ROLE = "committee_role"
    LEAD_BODY = "lead_body"
    SOURCE_URL = "source_url"
    NOTES = "notes"


# The questions of a new event, in order; then the summary.
GUIDE = [Step.TITLE, Step.START_DATE, Step.END_DATE, Step.MODE, Step.PLACE, Step.TYPE,
         Step.AUDIENCES, Step.INVOLVEMENT, Step.ORGANISERS, Step.SUMMARY]
# What Edit offers: every question, the optional extras too.
EDITABLE = [*GUIDE[:-1], Step.PARTICIPANTS, Step.COMMITTEE_ROLE, Step.LEAD_BODY,
            Step.SOURCE_URL, Step.NOTES]
# The questions answered by typing (the others by buttons).
FREE_TEXT = {Step.TITLE, Step.START_DATE, Step.END_DATE, Step.PLACE, Step.ORGANISERS,
             Step.PARTICIPANTS, Step.SOURCE_URL, Step.NOTES}


@dataclass
class Guided:
    """One person's draft: a row of `outreach import events` columns, and where it stands."""

    row: dict[str, str] = field(default_factory=dict)
    event_id: int | None = None  # a stored event being edited: Save amends it
    country: str = ""  # the country's name, shown in the summary
    editing: bool = False  # one question from Edit: back to the summary after it
    # The last answer's time: a draft restored after a restart has no timeout job any more,
    # so its next answer checks this instead.
    last_seen: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"row": dict(self.row), "event_id": self.event_id, "country": self.country,
                "editing": self.editing,
                "last_seen": None if self.last_seen is None else self.last_seen.isoformat()}

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> "Guided":
        seen = stored.get("last_seen")
        event_id = stored.get("event_id")
        return cls(row={str(k): str(v) for k, v in stored["row"].items()},
                   event_id=None if event_id is None else int(event_id),
                   country=str(stored.get("country", "")),
                   editing=bool(stored.get("editing", False)),
                   last_seen=None if seen is None else datetime.fromisoformat(seen))


def parse_day(value: str) -> date | None:
    """A day written YYYY-MM-DD, else None."""
    if not _DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


async def take_text(step: Step, guided: Guided, text: str, engine: Engine, today: date) -> str:
    """Put the typed answer in the draft; else the hint saying what would do."""
    row = guided.row
    if step is Step.TITLE:
        if not text or len(text) > LIMITS["title"]:
            return say("hint_title", limit=LIMITS["title"])
        row["title"] = text
    elif step in (Step.START_DATE, Step.END_DATE):
        return take_date(step, guided, text, today)
    elif step is Step.PLACE:
        return await take_place(guided, text, engine)
    elif step is Step.ORGANISERS:
        codes, unknown = await asyncio.to_thread(
            rows.organisers, engine, rows.split_items(text))
        if unknown:
            return say("hint_organisers", unknown=unknown)
        row["organisers"] = ";".join(codes)
    elif step is Step.PARTICIPANTS:
        if not (text.isascii() and text.isdigit()):
            return say("hint_participants", value=text)
        row["participants"] = str(int(text))
    elif step is Step.SOURCE_URL:
        if not text.lower().startswith(("https://", "http://")) or " " in text:
            return say("hint_url", value=text)
        if len(text) > LIMITS["source_url"]:
            return say("hint_too_long", limit=LIMITS["source_url"])
        row["source_url"] = text
    else:  # notes
        if len(text) > LIMITS["notes"]:
            return say("hint_too_long", limit=LIMITS["notes"])
        row["notes"] = text
    return ""


def take_date(step: Step, guided: Guided, text: str, today: date) -> str:
    """Put the day typed or picked in the draft; else the hint."""
    day = parse_day(text)
    if day is None:
        return say("hint_date", value=text)
    if day > today:
        return say("hint_future", value=text)
    if step is Step.END_DATE:
        start = guided.row.get("start_date", "")
        if day < (parse_day(start) or day):
            return say("hint_end_before_start", value=text, start=start)
        guided.row["end_date"] = day.isoformat()
    else:
        guided.row["start_date"] = day.isoformat()
    return ""


async def take_place(guided: Guided, text: str, engine: Engine) -> str:
    """The place typed as "City, country" or a country alone; else the hint."""
    city, comma, country = (part.strip() for part in text.rpartition(","))
    if not comma:
        city, country = "", text
    if not country:
        return say("hint_place", value=text)
    if len(city) > LIMITS["city"]:
        return say("hint_too_long", limit=LIMITS["city"])
    found = await asyncio.to_thread(rows.state, engine, country)
    if not isinstance(found, rows.Country):
        return say("hint_country", value=country, suggestion=found)
    guided.row.update(city=city, country=found.code)
    guided.country = found.name
    return ""
