"""A PoC reads their State's or organisation's name in their own language, in the e-mail and
the Telegram text the dispatcher sends; a name that is not in that language is marked."""

import asyncio

from sqlalchemy import Engine
from sqlmodel import Session

from bot.channels.contract import OutgoingEmail, OutgoingTelegram
from bot.delivery.dispatcher import Dispatcher
from storage.parties import Party, PartyKind
from tests.support.outbox import NOW, ScriptedSender, add_poc, queue


def send(engine: Engine, session: Session, poc_ids: list[int],
         template: str) -> tuple[list[OutgoingEmail], list[OutgoingTelegram]]:
    queue(session, poc_ids, template=template)
    email, telegram = ScriptedSender(), ScriptedSender()
    dispatcher = Dispatcher(engine=engine, email=email, telegram=telegram, owner="test-1",
                            clock=lambda: NOW)
    asyncio.run(dispatcher.run_once())
    emails = [item for item in email.sent if isinstance(item, OutgoingEmail)]
    texts = [item for item in telegram.sent if isinstance(item, OutgoingTelegram)]
    return emails, texts


def test_an_arabic_reminder_names_oman_in_arabic(engine: Engine, session: Session) -> None:
    poc = add_poc(session, "OMN", "Salim Example-Test", "salim@example.org", chat_id=501,
                  language="ar")
    (email,), (telegram,) = send(engine, session, [poc], "reminder_first_report")
    assert "الدولة: عمان" in email.text
    assert "عمان" in email.html and "عمان" in telegram.html
    assert "Oman" not in email.text + email.html + telegram.html


def test_a_chinese_reminder_names_the_state_in_chinese(engine: Engine, session: Session) -> None:
    poc = add_poc(session, "KOR", "Min-jun Example-Test", "minjun@example.org", language="zh")
    (email,), _ = send(engine, session, [poc], "reminder_update")
    assert "国家\uff1a大韩民国" in email.text and "大韩民国" in email.html  # full-width colon
    assert "Korea" not in email.text + email.html


def test_an_organisation_is_named_in_the_pocs_language(engine: Engine, session: Session) -> None:
    poc = add_poc(session, "IAEA", "Irène Example-Test", "irene@example.org", language="fr")
    (email,), _ = send(engine, session, [poc], "contact_check")
    assert "Agence internationale de l'énergie atomique" in email.text
    assert "Agence internationale de l&#39;énergie atomique" in email.html
    assert "lang=\"en\"" not in email.html


def test_a_party_staff_added_keeps_its_name_marked_english_in_html(
    engine: Engine, session: Session
) -> None:
    session.add(Party(kind=PartyKind.ORGANISATION, code="ZZ-FORUM", name="Zeta Regional Forum",
                      scope="regional"))
    session.commit()
    french = add_poc(session, "ZZ-FORUM", "Zoé Example-Test", "zoe@example.org", language="fr")
    arabic = add_poc(session, "ZZ-FORUM", "Zaid Example-Test", "zaid@example.org",
                     language="ar")
    emails, _ = send(engine, session, [french, arabic], "contact_check")
    by_address = {item.to[0]: item for item in emails}
    assert '<span lang="en">Zeta Regional Forum</span>' in by_address["zoe@example.org"].html
    assert ('<span lang="en" dir="ltr">Zeta Regional Forum</span>'
            in by_address["zaid@example.org"].html)
    assert "Zeta Regional Forum" in by_address["zaid@example.org"].text
    assert "<span" not in by_address["zaid@example.org"].text
