"""Staff read who answered a letter in the chat: /responses lists the letters, /responses ID
the parties who responded, promised or did not answer; /stats adds a line per letter. The
real PTB Application against the fake Bot API, in English and French; both backends."""

from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from storage import letters
from storage.letters import ResponseKind
from storage.staff import set_language
from tests.support.chat import staff_bot, write
from tests.support.fake_bot_api import FakeBotApi
from tests.support.letters import Written, write_letter
from tests.support.personas import STAFF, STRANGER

AT = datetime(2026, 7, 10, 9, 0, tzinfo=UTC)


def answered(session: Session) -> Written:
    written = write_letter(session)
    for code, substantive in (("IAEA", True), ("OPCW", False)):
        letters.record(session=session, letter_id=written.letter_id,
                       party_id=written.parties[code], kind=ResponseKind.RESPONSE,
                       on=date(2026, 7, 1), channel="note_verbale", actor="ana", now=AT,
                       substantive=substantive)
    letters.record(session=session, letter_id=written.letter_id,
                   party_id=written.parties["KEN"], kind=ResponseKind.PROMISE,
                   on=date(2026, 7, 1), channel="telegram", actor="poc:4", now=AT,
                   promised_by=date(2027, 1, 15))
    session.commit()
    return written


async def test_responses_lists_the_letters_and_one_letter_party_by_party(
    api: FakeBotApi, engine: Engine, session: Session, staff: None
) -> None:
    written = answered(session)
    async with staff_bot(api, engine):
        overview = await write(api, STAFF, "/responses")
        one = await write(api, STAFF, f"/responses {written.letter_id}")
        missing = await write(api, STAFF, "/responses 999")
        junk = await write(api, STAFF, "/responses all of them")
        stranger = await write(api, STRANGER, "/responses")
    assert (f"#{written.letter_id} (due 2026-07-31): written to 4, responded 2 (1 substantive)"
            ", promised 1, awaited 1.") in overview.text
    text = one.text
    assert "Responded: 2" in text and "Promised: 1" in text and "Not answered: 1" in text
    assert "International Atomic Energy Agency (IAEA): 2026-07-01, substantive" in text
    assert "(OPCW): 2026-07-01, not substantive" in text
    assert "Kenya (KEN): by 2027-01-15" in text
    assert text.index("Not answered: 1") < text.index("(INTERPOL)")
    assert missing.text == "No letter with id 999."
    assert junk.text.startswith("Usage: /responses")
    assert "Responded" not in stranger.text and "#" not in stranger.text


async def test_a_french_speaking_member_reads_them_in_french_and_stats_counts_the_letter(
    api: FakeBotApi, engine: Engine, session: Session, staff: None
) -> None:
    written = answered(session)
    set_language(session=session, telegram_user_id=STAFF, language="fr", actor="test", now=AT)
    session.commit()
    async with staff_bot(api, engine):
        one = await write(api, STAFF, f"/responses {written.letter_id}")
        stats = await write(api, STAFF, "/stats 2026-01-01 2026-12-31")
    assert "Ont répondu : 2" in one.text and "Sans réponse : 1" in one.text
    assert "Kenya (KEN): d'ici au 2027-01-15" in one.text
    assert ("Lettre du 2026-06-02 appelant une réponse : <b>4</b> destinataires, 2 réponses,"
            " dont <b>1</b> sur le fond.") in stats.text
