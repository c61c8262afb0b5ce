"""`/chair audience ID [all | key=value ...]`: who receives a Chair's message, from the chat.

The words are those of `outreach chair audience`: keys kind, group, role and language, each
with one value or several separated by commas (`group=AFR,APG`), in any case; a PoC must
match every key given and one of its values; `all` is every active PoC. The values are
checked by storage.chair_audience.validated against storage.chair_audience.allowed_values,
the CLI's own list. storage.chair.set_audience keeps its rules (audited, refused once the
message is released, an approved message becomes a draft again); the answer shows the new
audience with the recipients table of bot.render.previews, as /chair preview does.
"""

import re
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.chat.chair.calls import say, with_table
from bot.render.previews import preview, table_text
from storage import chair
from storage.chair import ChairState
from storage.chair_audience import InvalidAudience, allowed_values, validated

__all__ = ["EVERYONE", "AudienceUsage", "parse", "set_audience", "usage"]

EVERYONE = "all"
# key -> the keyword of storage.chair_audience.validated
_KEYS = {"kind": "kinds", "group": "groups", "role": "roles", "language": "languages"}
_SPACED = re.compile(r"\s*([=,])\s*")  # "group = AFR, APG" is "group=AFR,APG"


class AudienceUsage(ValueError):
    """What was typed is not an audience: `word` is the part we could not read ("" when
    nothing was typed)."""

    def __init__(self, word: str = "") -> None:
        super().__init__(word)
        self.word = word


def parse(words: list[str]) -> dict[str, list[str]]:
    """The keyword arguments of `validated` (values as typed; {} for everyone).
    Raises AudienceUsage."""
    typed = _SPACED.sub(r"\1", " ".join(words)).split()
    if [word.lower() for word in typed] == [EVERYONE]:
        return {}
    if not typed:
        raise AudienceUsage()
    chosen: dict[str, list[str]] = {}
    for word in typed:
        key, equals, values = word.partition("=")
        parts = values.split(",")
        if not equals or key.lower() not in _KEYS or not all(parts):
            raise AudienceUsage(word)
        chosen.setdefault(_KEYS[key.lower()], []).extend(parts)
    return chosen


def usage(engine: Engine, word: str = "", dimension: str = "") -> str:
    """How to write it, with every value each key accepts (Telegram HTML)."""
    with Session(engine) as session:
        allowed = allowed_values(session=session)
    return say("audience_usage", allowed=allowed, word=word, dimension=dimension)


def set_audience(engine: Engine, message_id: int, words: list[str], actor: str,
                 now: datetime) -> str:
    """Set the audience of message `message_id` from the words after its id; the answer.
    Raises storage.chair's MessageNotFound or NotEditable; nothing changes on a usage."""
    try:
        typed = parse(words)
    except AudienceUsage as error:
        return usage(engine, word=error.word)
    with Session(engine) as session:
        try:
            chosen = validated(session=session, **typed)
        except InvalidAudience as error:
            return usage(engine, word=error.value, dimension=error.dimension)
        was_approved = chair.get(session=session, message_id=message_id
                                 ).state == ChairState.APPROVED
        chair.set_audience(session=session, message_id=message_id, audience=chosen,
                           actor=actor, now=now)
        shown = preview(session=session, message_id=message_id)
        text = with_table("audience_set", table_text(shown), message_id=message_id,
                          audience=chosen, reachable=len(shown.plan.reachable),
                          unreachable=len(shown.plan.unreachable),
                          returned_to_draft=was_approved)
        session.commit()
    return text
