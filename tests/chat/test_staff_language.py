"""Staff choose the language the bot speaks to them in (/language), and every answer follows.

The real PTB Application long-polling the fake Bot API; both backends. The staff chat is in
the catalogue in English and French (the Secretariat's working languages); a staff member who
chose another UN language reads English until a translator fills it.
"""

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from storage.audit import AuditEntry
from storage.staff import language_of, set_language
from tests.support.chat import staff_bot, until, write
from tests.support.fake_bot_api import FakeBotApi
from tests.support.outbox import NOW
from tests.support.paper_data import PAPER_FROM, PAPER_TO, load_paper_events
from tests.support.personas import ADMIN, STAFF


def choose(session: Session, user_id: int, language: str) -> None:
    set_language(session=session, telegram_user_id=user_id, language=language, actor="test",
                 now=NOW)
    session.commit()


def stored_language(engine: Engine, user_id: int) -> str | None:
    with Session(engine) as fresh:
        return language_of(session=fresh, telegram_user_id=user_id)


async def test_a_staff_member_who_chose_french_reads_help_stats_and_log_in_french(
    api: FakeBotApi, engine: Engine, session: Session, staff: None
) -> None:
    load_paper_events(session)
    choose(session, STAFF, "fr")
    async with staff_bot(api, engine):
        helped = await write(api, STAFF, "/help")
        stats = await write(api, STAFF, f"/stats {PAPER_FROM} {PAPER_TO}")
        await until(lambda: len(api.uploads_to(STAFF)) == 1)
        asked = await write(api, STAFF, "/log")
        when = await write(api, STAFF, "Séminaire régional")
        english = await write(api, ADMIN, "/help")
    assert helped.text.startswith("Vous pouvez utiliser :")
    assert "/log — Enregistrer une activité de sensibilisation" in helped.text
    assert "/language — La langue dans laquelle le bot vous écrit" in helped.text
    assert stats.text.startswith("Du 26 avril 2016 au 15 avril 2022, le Comité et ses experts"
                                 " ont participé à <b>249</b> activités de sensibilisation.")
    [chart] = api.uploads_to(STAFF)
    assert chart.caption == ("Activités de sensibilisation par public et par année, du"
                             " 2016-04-26 au 2022-04-15.")
    assert asked.text.startswith("<b>Nouvelle activité de sensibilisation</b>")
    assert "Quel est le titre de l'activité ?" in asked.text
    assert when.text == ("Quand a-t-elle commencé ? Choisissez le jour, ou tapez-le sous la"
                         " forme YYYY-MM-DD.")
    assert when.reply_markup is not None
    labels = [[b["text"] for b in row] for row in when.reply_markup["inline_keyboard"]]
    assert ["Lu", "Ma", "Me", "Je", "Ve", "Sa", "Di"] in labels
    # the admin kept English: the same bot, at the same time, speaks to each in their own
    assert english.text.startswith("You can use:")
    assert "/log — Record an outreach event" in english.text


async def test_language_fr_switches_the_answers_and_the_menu_and_is_audited(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with staff_bot(api, engine):
        before = await write(api, STAFF, "/help")
        changed = await write(api, STAFF, "/language FR")
        after = await write(api, STAFF, "/help")
        back = await write(api, STAFF, "/language en")
    assert before.text.startswith("You can use:")
    assert changed.text == "Désormais, je vous écris en français."
    assert after.text.startswith("Vous pouvez utiliser :")
    assert back.text == "From now on I write to you in English."
    assert stored_language(engine, STAFF) == "en"
    menus = [c for c in api.my_commands if c.scope == {"type": "chat", "chat_id": STAFF}]
    french = {c["command"]: c["description"] for c in menus[-2].commands}
    assert french["help"] == "Afficher les commandes que vous pouvez utiliser"
    assert {c["command"]: c["description"] for c in menus[-1].commands}["help"] == \
        "Show the commands you can use"
    with Session(engine) as fresh:
        changes = list(fresh.exec(select(AuditEntry).where(
            AuditEntry.action == "language_changed").order_by(col(AuditEntry.id))))
    assert [(e.actor, e.before, e.after) for e in changes] == [
        (f"telegram:{STAFF}", {"language": "en"}, {"language": "fr"}),
        (f"telegram:{STAFF}", {"language": "fr"}, {"language": "en"}),
    ]


@pytest.mark.parametrize("typed", ["/language de", "/language", "/language fr en"])
async def test_a_code_that_is_no_un_language_is_refused_and_changes_nothing(
    api: FakeBotApi, engine: Engine, session: Session, staff: None, typed: str
) -> None:
    choose(session, STAFF, "fr")
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, typed)
    assert stored_language(engine, STAFF) == "fr"
    if typed == "/language de":
        assert answer.text.startswith(
            "« de » n'est pas l'une des langues de l'ONU ; rien n'a été modifié.")
    assert "Je vous écris en français." in answer.text
    for code, name in (("ar", "arabe"), ("zh", "chinois"), ("en", "anglais"),
                       ("fr", "français"), ("ru", "russe"), ("es", "espagnol")):
        assert f"• <code>{code}</code> — {name}" in answer.text


async def test_english_staff_read_what_they_always_read(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, "/language de")
    assert answer.text.startswith(
        '"de" is not one of the UN languages; nothing changed.\n'
        "I write to you in English. Write <code>/language CODE</code> to change it")
    assert stored_language(engine, STAFF) == "en"


async def test_a_language_without_a_translation_yet_falls_back_to_plain_english(
    api: FakeBotApi, engine: Engine, session: Session, staff: None
) -> None:
    """Russian is a UN language the staff chat is not (yet) translated into: English words,
    and no <span lang> that Telegram would refuse."""
    choose(session, STAFF, "ru")
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, "/state CIV")
    assert "Active PoCs:" in answer.text and "<span" not in answer.text


async def test_a_french_admin_granting_someone_reads_french_and_the_newcomer_gets_english(
    api: FakeBotApi, engine: Engine, session: Session, staff: None
) -> None:
    newcomer = 5550011
    choose(session, ADMIN, "fr")
    async with staff_bot(api, engine):
        granted = await write(api, ADMIN, f"/grant {newcomer}")
        helped = await write(api, newcomer, "/help")
    assert granted.text == (f"L'utilisateur {newcomer} a désormais le rôle staff ; son menu"
                            " de commandes est configuré.")
    [menu] = [c for c in api.my_commands if c.scope == {"type": "chat", "chat_id": newcomer}]
    assert {c["command"]: c["description"] for c in menu.commands}["help"] == \
        "Show the commands you can use"
    assert helped.text.startswith("You can use:")
