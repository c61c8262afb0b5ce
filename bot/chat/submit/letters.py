"""Which letter a PoC's document answers, in /submit (bot.chat.submit.conversation): the
party's open letters (written to it, not yet responded to; storage.letters.open_letters),
each named by the day it was sent and the day a response is due, in the PoC's language.

"Response to a letter": none open, the PoC is told so and may still send the document
(staff link it at confirmation); one open, the PoC is told which and the document names it;
several, the PoC chooses with a button "ps:letter:<id>", checked again when pressed.
"""

from dataclasses import dataclass

from sqlalchemy import Engine

from storage import letters
from storage.db import session_scope

__all__ = ["OpenLetter", "open_letters"]

LETTER_PATTERN = r"^ps:letter:\d{1,12}$"


@dataclass(frozen=True)
class OpenLetter:
    letter_id: int
    sent_on: str  # YYYY-MM-DD, "" before it was sent
    due_on: str  # YYYY-MM-DD


def open_letters(engine: Engine, party_id: int) -> list[OpenLetter]:
    """The letters the party may answer, oldest first."""
    with session_scope(engine) as session:
        found = []
        for letter in letters.open_letters(session=session, party_id=party_id):
            assert letter.id is not None
            dates = letters.reminder_context(session=session, letter_id=letter.id)
            found.append(OpenLetter(letter.id, dates["letter_sent_on"],
                                    dates["letter_due_on"]))
        return found


def callback_data(letter_id: int) -> str:
    return f"ps:letter:{letter_id}"


def chosen(data: str) -> int | None:
    """The letter id of a button's callback data; None when it is not one."""
    tail = data.removeprefix("ps:letter:")
    return int(tail) if tail != data and tail.isdigit() else None
