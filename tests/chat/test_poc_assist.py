"""A State's Point of Contact files an assistance request by answering the bot's questions
(/assist), in their own language; the request waits for the Committee's staff to confirm it,
and /mystatus shows where it stands. The real Application against the fake Bot API (long
polling for the whole request, Application.process_update for the others); both backends."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.chat.app import LANGUAGE_GROUP, build_application
from bot.chat.assist import store
from bot.chat.assist.conversation import EARLY, NAME, Step
from bot.chat.assist.keyboards import say
from bot.chat.poc import poc_commands
from storage.assistance import requests
from storage.assistance.model import DETAIL_MAX, AssistanceNeed, AssistanceRequest
from storage.audit import AuditEntry
from storage.parties import Party
from storage.staff import StaffRole, grant
from storage.telegram_state import load_states
from tests.support.chat import Clock, poc_say, staff_say, until
from tests.support.fake_bot_api import FakeBotApi
from tests.support.log_chat import Chat, labels
from tests.support.outbox import NOW, add_poc
from tests.support.paths import REPO
from tests.support.personas import STAFF, STRANGER

CLAIRE = 5550301  # a French-speaking PoC of France, in her private chat with the bot
AMIRA = 5550302  # an Arabic-speaking PoC of Morocco
ORG = 5550303  # a PoC of an organisation
DETAILS = "Contrôle des <frontières> & douanes"


def area(language: str, name: str, ticked: bool = False) -> str:
    return say("area_button", language, area=name, ticked=ticked)


def stored(engine: Engine) -> list[tuple[AssistanceRequest, list[AssistanceNeed]]]:
    with Session(engine) as fresh:
        found = list(fresh.exec(select(AssistanceRequest).order_by(col(AssistanceRequest.id))))
        return [(request, requests.needs_of(session=fresh, request_id=request.id or 0))
                for request in found]


@pytest.fixture
def claire(session: Session) -> int:
    return add_poc(session, "FRA", "Claire Invented", "claire@example.org", chat_id=CLAIRE,
                   language="fr")


async def test_a_french_poc_files_a_request_end_to_end_and_it_awaits_staff(
    api: FakeBotApi, engine: Engine, claire: int
) -> None:
    async with Chat.open(api, engine, polling=True) as chat:
        areas = await chat.say(CLAIRE, "/assist")
        await chat.press(CLAIRE, areas, area("fr", "op3_cd"))
        await until(lambda: area("fr", "op3_cd", True) in labels(api, areas))
        await chat.press(CLAIRE, areas, area("fr", "training"))
        await until(lambda: area("fr", "training", True) in labels(api, areas))
        [weapon] = await chat.press(CLAIRE, areas, say("done_button", "fr"), new_messages=1)
        [detail] = await chat.press(CLAIRE, weapon, say("weapon_button", "fr",
                                                        weapon="chemical"), new_messages=1)
        second_weapon = await chat.say(CLAIRE, DETAILS)
        [second_detail] = await chat.press(CLAIRE, second_weapon,
                                           say("no_weapon_button", "fr"), new_messages=1)
        too_long = await chat.say(CLAIRE, "é" * (DETAIL_MAX + 1))
        consent = await chat.say(CLAIRE, "é" * DETAIL_MAX)  # the column's size, exactly
        [summary] = await chat.press(CLAIRE, consent, say("yes_button", "fr"), new_messages=1)
        await chat.press(CLAIRE, summary, say("send_button", "fr"))
        await until(lambda: api.edited_texts[-1].text == say("sent", "fr", party="France"))
    assert areas.text == say("ask_areas", "fr", party="France")
    assert "Dans quels domaines" in areas.text
    assert detail.text == say("ask_detail", "fr", area="op3_cd", limit=DETAIL_MAX)
    assert second_detail.text == say("ask_detail", "fr", area="training", limit=DETAIL_MAX)
    assert too_long.text == (say("hint_too_long", "fr", limit=DETAIL_MAX, length=DETAIL_MAX + 1)
                             + "\n\n" + second_detail.text)
    assert "Contrôle des &lt;frontières&gt; &amp; douanes" in summary.text  # escaped
    assert say("yes_button", "fr") not in summary.text
    [(request, needs)] = stored(engine)
    assert (request.received_on, request.channel, request.consent_to_publish,
            request.status, request.confirmed_at) == (
        NOW.date(), "telegram", True, "received", None)
    assert [(n.area, n.weapon, n.detail) for n in needs] == [
        ("op3_cd", "chemical", DETAILS), ("training", None, "é" * DETAIL_MAX)]
    with Session(engine) as fresh:
        [entry] = fresh.exec(select(AuditEntry).where(
            AuditEntry.entity == requests.ENTITY))
        assert (entry.action, entry.actor, entry.entity_id) == (
            "create", f"poc:{claire}", str(request.id))
    assert load_states(engine, "conversation") == {}


async def test_an_arabic_poc_is_asked_in_arabic(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    add_poc(session, "MAR", "Amira Invented", "amira@example.org", chat_id=AMIRA,
            language="ar")
    async with Chat.open(api, engine) as chat:
        areas = await chat.say(AMIRA, "/assist")
        await chat.press(AMIRA, areas, area("ar", "funding"))
        ticked = labels(api, areas)
        [question] = await chat.press(AMIRA, areas, say("done_button", "ar"))
    morocco = store.state_of(engine, areas_party(session, "MAR"), "ar")
    assert morocco and morocco != "Morocco"
    assert areas.text == say("ask_areas", "ar", party=morocco)
    assert "في أي المجالات تحتاج دولتكم إلى المساعدة" in areas.text
    assert area("ar", "funding", True) == "✓ التمويل" and "✓ التمويل" in ticked
    assert labels(api, areas) == []  # Done: the areas' buttons are gone
    assert say("done_button", "ar") == "تم"
    assert question.text == say("ask_weapon", "ar", area="funding")
    assert "هل تتعلق هذه الحاجة" in question.text
    assert say("weapon_button", "ar", weapon="nuclear") in labels(api, question)


def areas_party(session: Session, code: str) -> int:
    party = session.exec(select(Party).where(Party.code == code)).one()
    assert party.id is not None
    return party.id


async def test_an_organisations_poc_and_a_stranger_are_refused_and_nothing_is_written(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    add_poc(session, "IAEA", "Dr. Focal Invented", "focal@example.org", chat_id=ORG)
    async with Chat.open(api, engine) as chat:
        organisation = await chat.say(ORG, "/assist")
        stranger = await chat.say(STRANGER, "/assist")
    assert organisation.text == say("not_for_organisations", "en")
    assert stranger.text == staff_say("refused")
    assert stored(engine) == []


async def test_staff_typing_assist_go_on_to_the_staff_handlers(
    api: FakeBotApi, engine: Engine, session: Session
) -> None:
    grant(session=session, telegram_user_id=STAFF, role=StaffRole.STAFF, actor="test", now=NOW)
    session.commit()
    async with Chat.open(api, engine) as chat:
        answer = await chat.say(STAFF, "/assist")
    assert answer.text not in {say("not_for_organisations", "en"), poc_say("en", "poc_only"),
                               staff_say("refused")}
    assert not answer.text.startswith("<b>Assistance request of")


async def test_cancel_writes_nothing_and_later_presses_are_already_answered(
    api: FakeBotApi, engine: Engine, claire: int
) -> None:
    async with Chat.open(api, engine) as chat:
        areas = await chat.say(CLAIRE, "/assist")
        await chat.press(CLAIRE, areas, area("fr", "equipment"))
        [weapon] = await chat.press(CLAIRE, areas, say("done_button", "fr"))
        cancelled = await chat.say(CLAIRE, "/cancel")
        late = await chat.press(CLAIRE, weapon, say("weapon_button", "fr", weapon="nuclear"))
    assert cancelled.text == say("cancelled", "fr")
    assert late == [] and api.callback_answers[-1].text == say("stale_button", "fr")
    assert stored(engine) == []


async def test_done_without_an_area_asks_for_one_and_typing_asks_for_the_buttons(
    api: FakeBotApi, engine: Engine, claire: int
) -> None:
    async with Chat.open(api, engine) as chat:
        areas = await chat.say(CLAIRE, "/assist")
        none = await chat.press(CLAIRE, areas, say("done_button", "fr"))
        typed = await chat.say(CLAIRE, "formation")
    assert none == [] and api.callback_answers[-1].text == say("hint_no_area", "fr")
    assert typed.text == say("hint_buttons", "fr") + "\n\n" + areas.text


async def test_a_request_goes_on_after_a_restart(
    api: FakeBotApi, engine: Engine, claire: int
) -> None:
    clock = Clock()
    async with Chat.open(api, engine, clock) as before:
        areas = await before.say(CLAIRE, "/assist")
        await before.press(CLAIRE, areas, area("fr", "outreach"))
        [weapon] = await before.press(CLAIRE, areas, say("done_button", "fr"))
    assert load_states(engine, "conversation") == {f"{NAME}:{CLAIRE},{CLAIRE}":
                                                   Step.WEAPON.name}
    clock.now += timedelta(minutes=2)
    async with Chat.open(api, engine, clock) as after:  # a new Application: the restart
        [detail] = await after.press(CLAIRE, weapon, say("no_weapon_button", "fr"))
        [consent] = await after.press(CLAIRE, detail, say("no_detail_button", "fr"))
        [summary] = await after.press(CLAIRE, consent, say("no_button", "fr"))
        await after.press(CLAIRE, summary, say("send_button", "fr"))
    [(request, needs)] = stored(engine)
    assert not request.consent_to_publish and request.confirmed_at is None
    assert [(n.area, n.weapon, n.detail) for n in needs] == [("outreach", None, "")]


async def test_a_restored_request_past_its_timeout_is_dropped(
    api: FakeBotApi, engine: Engine, claire: int
) -> None:
    clock = Clock()
    async with Chat.open(api, engine, clock) as before:
        areas = await before.say(CLAIRE, "/assist")
        await before.press(CLAIRE, areas, area("fr", "outreach"))
        [weapon] = await before.press(CLAIRE, areas, say("done_button", "fr"))
    clock.now += timedelta(minutes=10)
    async with Chat.open(api, engine, clock) as after:
        [told] = await after.press(CLAIRE, weapon, say("no_weapon_button", "fr"))
    assert told.text == say("timed_out", "fr", minutes=10)
    assert stored(engine) == []


async def test_mystatus_lists_the_request_awaiting_confirmation_then_its_step(
    api: FakeBotApi, engine: Engine, claire: int
) -> None:
    async with Chat.open(api, engine) as chat:
        areas = await chat.say(CLAIRE, "/assist")
        await chat.press(CLAIRE, areas, area("fr", "legislation"))
        [weapon] = await chat.press(CLAIRE, areas, say("done_button", "fr"))
        [detail] = await chat.press(CLAIRE, weapon, say("no_weapon_button", "fr"))
        [consent] = await chat.press(CLAIRE, detail, say("no_detail_button", "fr"))
        [summary] = await chat.press(CLAIRE, consent, say("no_button", "fr"))
        await chat.press(CLAIRE, summary, say("send_button", "fr"))
        waiting = await chat.say(CLAIRE, "/mystatus")
        [(request, _)] = stored(engine)
        with Session(engine) as fresh:
            found = requests.get(session=fresh, request_id=request.id or 0)
            requests.confirm(session=fresh, request=found, actor="test", now=NOW)
            fresh.commit()
        confirmed = await chat.say(CLAIRE, "/mystatus")
    awaiting = "En attente de confirmation par le personnel du Comité"
    assert waiting.text.startswith("<b>France</b>")
    legislation = say("area_button", "fr", area="legislation", ticked=False)
    assert (f"• Reçue le 27 novembre 2026 : {legislation} — {awaiting}"
            in waiting.text.splitlines())
    assert f"• Reçue le 27 novembre 2026 : {legislation} — Reçue" in confirmed.text.splitlines()
    assert awaiting not in confirmed.text


def test_the_pocs_assist_is_tried_before_every_other_handler(engine: Engine) -> None:
    application = build_application(FakeBotApi.TOKEN, "http://127.0.0.1:9/bot", engine)
    assert sorted(application.handlers) == [LANGUAGE_GROUP, EARLY, 0]  # language first
    [conversation, stale] = application.handlers[EARLY]
    assert isinstance(conversation, ConversationHandler) and conversation.name == NAME
    assert [name for entry in conversation.entry_points if isinstance(entry, CommandHandler)
            for name in entry.commands] == ["assist"]
    assert isinstance(stale, CallbackQueryHandler)


def test_the_diagram_names_every_step() -> None:
    diagram = (REPO / "bot" / "chat" / "assist" / "conversation.mmd").read_text()
    assert all(step.name in diagram for step in Step)


async def test_edit_shows_the_areas_again_ticked_and_what_was_typed_never_reaches_the_logs(
    api: FakeBotApi, engine: Engine, claire: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with Chat.open(api, engine) as chat:
        areas = await chat.say(CLAIRE, "/assist")
        await chat.press(CLAIRE, areas, area("fr", "op2"))
        [weapon] = await chat.press(CLAIRE, areas, say("done_button", "fr"))
        [detail] = await chat.press(CLAIRE, weapon, say("no_weapon_button", "fr"))
        consent = await chat.say(CLAIRE, DETAILS)
        [summary] = await chat.press(CLAIRE, consent, say("no_button", "fr"))
        [again] = await chat.press(CLAIRE, summary, say("edit_button", "fr"))
        await chat.press(CLAIRE, again, area("fr", "op2", True))  # untick
        await chat.press(CLAIRE, again, area("fr", "funding"))
        [weapon] = await chat.press(CLAIRE, again, say("done_button", "fr"))
        [detail] = await chat.press(CLAIRE, weapon, say("weapon_button", "fr",
                                                        weapon="biological"))
        [consent] = await chat.press(CLAIRE, detail, say("no_detail_button", "fr"))
        [summary] = await chat.press(CLAIRE, consent, say("yes_button", "fr"))
        await chat.press(CLAIRE, summary, say("send_button", "fr"))
    assert area("fr", "op2", True) in [b["text"] for row in (again.reply_markup or {}).get(
        "inline_keyboard", []) for b in row]
    [(request, needs)] = stored(engine)
    assert request.consent_to_publish
    assert [(n.area, n.weapon, n.detail) for n in needs] == [("funding", "biological", "")]
    ours = [record.getMessage() for record in caplog.records
            if record.name.startswith(("bot.", "storage."))]
    assert ours and not any("douanes" in line or "Claire" in line for line in ours)


def test_a_pocs_menu_offers_assist_in_their_language() -> None:
    menu = dict(poc_commands("fr"))
    assert list(menu)[:3] == ["help", "mystatus", "assist"]
    assert menu["assist"] == "Demander une assistance au Comité 1540"
