"""The storage calls behind the chat's /chair command, and the words they answer with.

Each function opens a Session of its own (the handlers run them in a worker thread), commits
what it changed and returns plain values or Telegram HTML from
templates/chat/<language>/chair.html.j2. A refusal of storage.chair (four eyes, a message
already sent, ...) is raised as its ChairError; `refusal` gives the sentence for it. Times
are shown in New York time, where the Committee sits, with UTC beside them.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import Engine
from sqlmodel import Session

from bot.chat import common
from bot.chat.common import MESSAGE_LIMIT, fitted, has_message
from bot.render import previews
from bot.render.previews import ChairPreview, preview, table_text
from scheduler.quarters import NEW_YORK, default_send_at
from storage import chair
from storage.chair import ChairError, ChairMessage, ChairState
from storage.chair_audience import FALLBACK_LANGUAGE
from storage.chair_release import retry_failed, status

__all__ = ["Saved", "SendTimeError", "approve", "cancel", "check_editable", "listing",
           "parse_send_time", "preview_of", "refusal", "retry", "save_bodies", "say",
           "schedule", "send_time", "status_view", "when", "with_table"]

LISTED = 15  # the latest messages /chair list shows
PROBLEMS_SHOWN = 10  # failed or uncertain deliveries /chair status names
CODES_SHOWN = 40  # party codes of unreachable PoCs /chair status names


say = partial(common.say, "chair")  # templates/chat/en/chair.html.j2


def with_table(message: str, table: str, **params: object) -> str:
    """The message with as much of the recipients `table` (plain text, `table`) as one
    Telegram message takes; a cut table ends saying how many lines it leaves out."""
    lines = table.splitlines()
    text = ""
    for kept in range(len(lines), -1, -1):
        cut = [] if kept == len(lines) else [
            say("table_cut", more=len(lines) - kept, message_id=params.get("message_id"))]
        shown = "\n".join(lines[:kept] + cut)
        text = say(message, table=shown, **params)
        if len(text) <= MESSAGE_LIMIT:
            break
    return text


def refusal(error: ChairError) -> str:
    """The sentence for a refusal of storage.chair."""
    code = error.code if has_message("chair", error.code) else ChairError.code
    return say(code, params=error.params)


def when(send_at: datetime | None) -> dict[str, str] | None:
    """A send time as the templates show it; None is "as soon as it is approved"."""
    if send_at is None:
        return None
    return {"new_york": send_at.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M"),
            "utc": send_at.strftime("%Y-%m-%d %H:%M")}


class SendTimeError(ValueError):
    """What was typed is not a send time we can use; `text` says why (Telegram HTML)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def parse_send_time(words: list[str], now: datetime) -> datetime | None:
    """`now` (None: right after approval), `default`, or `YYYY-MM-DD HH:MM` in New York
    time, as an aware UTC datetime. Raises SendTimeError."""
    typed = " ".join(words).strip()
    if typed.lower() == "now":
        return None
    if typed.lower() == "default":
        return default_send_at(now)
    try:
        local = datetime.strptime(typed, "%Y-%m-%d %H:%M")
    except ValueError:
        raise SendTimeError(say("schedule_usage")) from None
    at = local.replace(tzinfo=NEW_YORK).astimezone(UTC)
    if at <= now:
        raise SendTimeError(say("schedule_in_past", when=typed))
    return at


# -- writes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    message_id: int
    created: bool
    returned_to_draft: bool  # it was approved: the edit needs a new approval


def check_editable(engine: Engine, message_id: int) -> None:
    """Raises MessageNotFound or NotEditable before anyone starts typing."""
    with Session(engine) as session:
        message = chair.get(session=session, message_id=message_id)
        if message.state not in chair.EDITABLE:
            raise chair.NotEditable(message_id, state=message.state)


def save_bodies(engine: Engine, message_id: int | None, texts: dict[str, tuple[str, str]],
                actor: str, now: datetime) -> Saved:
    """Create the draft (sent by default on the first working day of next quarter) or edit
    message `message_id`: `texts` is language -> (subject, Markdown). All or nothing."""
    with Session(engine) as session:
        was_approved = False
        if message_id is None:
            message = chair.create_draft(session=session, actor=actor, now=now,
                                         send_at=default_send_at(now))
        else:
            message = chair.get(session=session, message_id=message_id)
            was_approved = message.state == ChairState.APPROVED
        assert message.id is not None
        saved_id = message.id
        for language, (subject, markdown) in texts.items():
            chair.set_body(session=session, message_id=saved_id, language=language,
                           actor=actor, now=now, subject=subject, markdown=markdown)
        session.commit()
    return Saved(message_id=saved_id, created=message_id is None,
                 returned_to_draft=was_approved)


def approve(engine: Engine, message_id: int, revision: int | None, actor: str,
            now: datetime) -> str:
    with Session(engine) as session:
        message = previews.approve(session=session, message_id=message_id, actor=actor,
                                        now=now, revision=revision)
        text = say("approved", message_id=message_id, when=when(message.send_at))
        session.commit()
    return text


def schedule(engine: Engine, message_id: int, send_at: datetime | None, actor: str,
             now: datetime) -> str:
    with Session(engine) as session:
        was_approved = chair.get(session=session, message_id=message_id
                                 ).state == ChairState.APPROVED
        chair.set_send_at(session=session, message_id=message_id, send_at=send_at,
                          actor=actor, now=now)
        session.commit()
    return say("scheduled", message_id=message_id, when=when(send_at),
               returned_to_draft=was_approved)


def cancel(engine: Engine, message_id: int, actor: str, now: datetime) -> str:
    with Session(engine) as session:
        cancelled = chair.cancel(session=session, message_id=message_id, actor=actor, now=now)
        session.commit()
    return say("cancelled", message_id=message_id, withdrawn=cancelled.withdrawn_deliveries)


def retry(engine: Engine, message_id: int, actor: str, now: datetime) -> str:
    with Session(engine) as session:
        queued = retry_failed(session=session, message_id=message_id, actor=actor, now=now)
        session.commit()
    return say("retried", message_id=message_id, count=len(queued))


# -- reads ----------------------------------------------------------------------------------


def send_time(engine: Engine, message_id: int) -> str:
    with Session(engine) as session:
        message = chair.get(session=session, message_id=message_id)
        return say("send_time", message_id=message_id, when=when(message.send_at))


def status_view(engine: Engine, message_id: int) -> tuple[str, bool]:
    """The /chair status answer, and whether some deliveries failed (a retry may help)."""
    with Session(engine) as session:
        report = status(session=session, message_id=message_id)
        rows = [(channel, language, buckets)
                for (channel, language), buckets in report.counts.items()]
        text = fitted("chair", "status", report.problems[:PROBLEMS_SHOWN],
                      message_id=message_id, state=report.message.state,
                      when=when(report.message.send_at), rows=rows,
                      hidden=max(0, len(report.problems) - PROBLEMS_SHOWN),
                      unreachable=[code for _, code in report.unreachable][:CODES_SHOWN],
                      unreachable_count=len(report.unreachable))
        return text, report.total("failed") > 0


def _subject(session: Session, message: ChairMessage) -> str:
    assert message.id is not None
    texts = chair.bodies(session=session, message_id=message.id)
    english = texts.get(FALLBACK_LANGUAGE)
    if english is not None and english.subject:
        return english.subject
    return next((body.subject for body in texts.values() if body.subject), "")


def listing(engine: Engine) -> str:
    with Session(engine) as session:
        messages = chair.listing(session=session)
        items = [{"id": message.id, "state": message.state, "when": when(message.send_at),
                  "sent": (when(message.sent_at) or {}).get("new_york"),
                  "released": (when(message.released_at) or {}).get("new_york"),
                  "subject": _subject(session, message)}
                 for message in messages[:LISTED]]
    return fitted("chair", "listing", items, older=max(0, len(messages) - LISTED))


@dataclass(frozen=True)
class PreviewParts:
    """What the drafter is sent: per language, the PoC's Telegram message and the e-mail."""

    message_id: int
    revision: int
    state: str
    languages: list[tuple[str, str, str, str, str]]  # language, subject, telegram, html, text
    summary: str  # state, send time and the recipients table (Telegram HTML)


def preview_of(engine: Engine, message_id: int) -> PreviewParts:
    """Raises MessageNotFound."""
    with Session(engine) as session:
        shown: ChairPreview = preview(session=session, message_id=message_id)
        message = shown.message
        summary = with_table("recipients", table_text(shown), message_id=message_id,
                             state=message.state, when=when(message.send_at),
                             missing_english=FALLBACK_LANGUAGE not in shown.languages)
        return PreviewParts(
            message_id=message_id, revision=message.revision, state=message.state,
            languages=[(version.language, version.subject, version.telegram_html,
                        version.email_html, version.email_text)
                       for version in shown.languages.values()],
            summary=summary)
