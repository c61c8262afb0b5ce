"""A letter to three organisations and one State, expecting a response by DUE, queued as
`outreach send --expect-response-by` queues it, for the letters specs."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from storage import letters
from storage.parties import Party
from tests.support.outbox import add_poc, queue

SENT = datetime(2026, 6, 2, 14, 0, tzinfo=UTC)
DUE = date(2026, 7, 31)
PARTIES = ("IAEA", "OPCW", "INTERPOL", "KEN")


@dataclass(frozen=True)
class Written:
    letter_id: int
    message_id: int
    policy_id: int
    parties: dict[str, int]  # code -> party id
    pocs: dict[str, int]  # code -> PoC id


def party_id(session: Session, code: str) -> int:
    return int(session.exec(select(Party.id).where(Party.code == code)).one() or 0)


def write_letter(session: Session, chat_ids: dict[str, int] | None = None,
                 language: str = "en") -> Written:
    chat_ids = chat_ids or {}
    pocs = {code: add_poc(session, code, f"Person {code}-Test", f"{code.lower()}@example.org",
                          chat_id=chat_ids.get(code), language=language)
            for code in PARTIES}
    message = queue(session, list(pocs.values()), template="chair_message", now=SENT)
    message.context = {"subject": "Written submissions requested",
                       "markdown": "An invented letter requesting written submissions."}
    session.add(message)
    letter = letters.expect_for_message(session=session, outbox_message_id=message.id or 0,
                                        due_on=DUE, actor="test", now=SENT)
    session.commit()
    return Written(letter.id or 0, message.id or 0, letter.policy_id or 0,
                   {code: party_id(session, code) for code in PARTIES}, pocs)
