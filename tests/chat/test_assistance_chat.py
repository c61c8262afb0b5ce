"""Staff follow assistance requests in the chat: /assist STATE shows a State's requests, needs
and offers; /requests pages the open ones, with buttons that confirm a request, move it to its
next step or publish it (audited, refused with a sentence when storage refuses).

The real reply Application (long polling) against the fake Bot API; both backends.
"""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.chat.assistance_views import Press, next_steps
from bot.chat.common import say
from storage.assistance import providers, requests
from storage.assistance.model import AssistanceRequest
from storage.assistance.requests import Need, RequestFields
from storage.audit import AuditEntry
from storage.parties import Party
from tests.support.chat import poc_say, staff_bot, staff_say, until, write
from tests.support.fake_bot_api import FakeBotApi, ReceivedMessage
from tests.support.outbox import NOW, add_poc
from tests.support.personas import STAFF, STRANGER

POC = 5550020  # a PoC of Kenya, whose chat is bound to their record
ACTOR = f"telegram:{STAFF}"


def words(message: str, **params: Any) -> str:
    return say("assistance", message, **params)


def party(session: Session, code: str) -> Party:
    return session.exec(select(Party).where(Party.code == code)).one()


def add_request(session: Session, code: str, *steps: str, confirmed: bool = True,
                consent: bool = False, needs: tuple[Need, ...] = (Need("training"),),
                on: date = date(2026, 1, 5)) -> int:
    made = requests.add(session=session, party=party(session, code), fields=RequestFields(
        received_on=on, channel="telegram", needs=needs, consent_to_publish=consent),
        actor="test", now=NOW, confirmed=confirmed)
    for step in steps:
        requests.advance(session=session, request=made, to=step, on=date(2026, 3, 1),
                         actor="test", now=NOW)
    session.commit()
    assert made.id is not None
    return made.id


@pytest.fixture
def kenya(session: Session) -> int:
    """Kenya's request, filed by its PoC (not yet confirmed), open to providers since
    1 March 2026 (271 days before NOW), with an offer from the IAEA."""
    request_id = add_request(
        session, "KEN", "circulated", "open", confirmed=False, consent=True,
        needs=(Need("training", "nuclear", 'Lab <staff> & "inspectors"'), Need("op3_cd")))
    provider = providers.register(session=session, party=party(session, "IAEA"),
                                  registered_on=date(2016, 1, 1), areas=["training"],
                                  actor="test", now=NOW)
    providers.offer(session=session, request=requests.get(session=session,
                                                          request_id=request_id),
                    provider=provider, offered_on=date(2026, 4, 1), detail="", actor="test",
                    now=NOW)
    session.commit()
    return request_id


def labels(message: ReceivedMessage) -> list[str]:
    markup = message.reply_markup or {"inline_keyboard": []}
    return [button["text"] for row in markup["inline_keyboard"] for button in row]


def data_of(message: ReceivedMessage, label: str) -> str:
    assert message.reply_markup is not None
    [data] = [button["callback_data"] for row in message.reply_markup["inline_keyboard"]
              for button in row if button["text"] == label]
    return str(data)


async def press(api: FakeBotApi, user_id: int, message: ReceivedMessage, data: str,
                refreshed: bool = True) -> tuple[str | None, str | None]:
    """Press a button; the pop-up's text, and the message's new text when it is edited."""
    answers, edits = len(api.callback_answers), len(api.edited_texts)
    api.press_button(chat_id=user_id, from_user_id=user_id, message_id=message.message_id,
                     data=data)
    await until(lambda: len(api.callback_answers) > answers)
    if refreshed:
        await until(lambda: len(api.edited_texts) > edits)
        return api.callback_answers[-1].text, api.edited_texts[-1].text
    return api.callback_answers[-1].text, None


def stored(engine: Engine, request_id: int) -> AssistanceRequest:
    with Session(engine) as fresh:
        found = fresh.get(AssistanceRequest, request_id)
        assert found is not None
        return found


def audited(engine: Engine, request_id: int) -> list[tuple[str, str]]:
    with Session(engine) as fresh:
        return [(entry.actor, entry.action) for entry in fresh.exec(
            select(AuditEntry).where(AuditEntry.entity == "assistance_request",
                                     AuditEntry.entity_id == str(request_id))
            .order_by(col(AuditEntry.id)))]


# -- /assist -----------------------------------------------------------------------------


async def test_assist_shows_a_states_request_its_needs_step_and_offers(
    api: FakeBotApi, engine: Engine, staff: None, kenya: int
) -> None:
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, "/assist Kenya")
        by_code = await write(api, STAFF, "/assist ken")
    iaea = party(Session(engine), "IAEA").name
    assert answer.text == by_code.text
    assert answer.text.startswith("<b>Kenya</b> (KEN): assistance requests")
    assert f"<b>#{kenya}</b>" in answer.text
    assert "<i>Circulated to assistance providers</i> for 271 days" in answer.text
    assert "Awaiting staff confirmation" in answer.text
    assert "may be published (the State consents)" in answer.text
    assert ("Training (Nuclear weapons): Lab &lt;staff&gt; &amp; &#34;inspectors&#34;; "
            "Border and export controls") in answer.text
    assert f"{iaea} (offered, 2026-04-01)" in answer.text


async def test_assist_names_an_unknown_state_with_a_suggestion_and_explains_its_usage(
    api: FakeBotApi, engine: Engine, staff: None, kenya: int
) -> None:
    async with staff_bot(api, engine):
        typo = await write(api, STAFF, "/assist Kenia")
        organisation = await write(api, STAFF, "/assist IAEA")
        nothing = await write(api, STAFF, "/assist")
        none_yet = await write(api, STAFF, "/assist PER")
    assert typo.text.startswith('No State is called "Kenia". Did you mean KEN (Kenya)?')
    assert organisation.text.startswith('No State is called "IAEA".')
    assert nothing.text == words("assist_usage")
    assert none_yet.text == "No assistance request is recorded for <b>Peru</b> (PER)."


async def test_a_stranger_and_a_poc_never_see_the_staffs_assist(
    api: FakeBotApi, engine: Engine, session: Session, staff: None, kenya: int
) -> None:
    add_poc(session, "KEN", "Amina Invented", "amina@example.org", chat_id=POC)
    async with staff_bot(api, engine):
        stranger = await write(api, STRANGER, "/assist KEN")
        poc = await write(api, POC, "/assist KEN")
        requests_ = await write(api, POC, "/requests")
    assert stranger.text == staff_say("refused")
    assert requests_.text == poc_say("en", "staff_only")
    # a State's PoC gets its own guided request (bot.chat.assist), never the staff's view
    assert poc.text.startswith("<b>Assistance request of Kenya</b>")
    assert "oldest first" not in poc.text


# -- /requests and its buttons ------------------------------------------------------------


async def test_requests_are_paged_five_at_a_time_and_by_area(
    api: FakeBotApi, engine: Engine, session: Session, staff: None
) -> None:
    codes = ["ARG", "BRA", "CHL", "DZA", "EGY", "FJI", "GHA"]
    ids = [add_request(session, code, on=date(2026, 1, day))
           for day, code in enumerate(codes, start=1)]
    add_request(session, "IND", "withdrawn")  # closed: never listed
    funding = add_request(session, "JOR", needs=(Need("funding"),), on=date(2026, 2, 1))
    async with staff_bot(api, engine):
        first = await write(api, STAFF, "/requests")
        _, second = await press(api, STAFF, first, data_of(first, "▶"))
        by_area = await write(api, STAFF, "/requests FUNDING")
        unknown = await write(api, STAFF, "/requests weapons")
    assert first.text.startswith("Open assistance requests, oldest first, 1 to 5 of 8")
    assert [f"#{i}" in first.text for i in ids] == [True] * 5 + [False] * 2
    assert "India" not in first.text
    assert labels(first) == [f"#{i} → Circulated to the Committee" for i in ids[:5]] + ["▶"]
    assert second is not None and "6 to 8 of 8" in second
    assert [f"#{i}" in second for i in ids] == [False] * 5 + [True] * 2
    assert f"#{funding}" in second
    assert api.edited_texts[-1].reply_markup is not None
    assert by_area.text.startswith("Open assistance requests needing Funding, oldest first, "
                                   "1 to 1 of 1")
    assert f"#{funding}" in by_area.text and f"#{ids[0]}" not in by_area.text
    assert unknown.text == words("unknown_area", value="weapons",
                                 areas=["op3_ab", "op3_cd", "op2", "training", "outreach",
                                        "legislation", "equipment", "funding", "other"])


async def test_confirm_and_a_step_change_the_request_audited_and_refresh_the_list(
    api: FakeBotApi, engine: Engine, staff: None, kenya: int, session: Session
) -> None:
    received = add_request(session, "PER", on=date(2026, 6, 1))
    async with staff_bot(api, engine):
        shown = await write(api, STAFF, "/requests")
        assert labels(shown) == [f"Confirm #{kenya}", f"Publish #{kenya}",
                                 f"#{received} → Circulated to the Committee"]
        confirmed, after_confirm = await press(api, STAFF, shown,
                                               data_of(shown, f"Confirm #{kenya}"))
        again, _ = await press(api, STAFF, shown, data_of(shown, f"Confirm #{kenya}"))
        moved, after_step = await press(
            api, STAFF, shown, data_of(shown, f"#{received} → Circulated to the Committee"))
    assert confirmed == words("confirmed", id=kenya)
    assert again == words("already_confirmed", id=kenya)
    assert stored(engine, kenya).confirmed_at == NOW  # the spec's clock
    assert after_confirm is not None and "Awaiting staff confirmation" not in after_confirm
    assert moved == words("moved", id=received, status="circulated")
    assert stored(engine, received).status == "circulated"
    assert after_step is not None
    assert "<i>Circulated to the Committee</i> for 0 days" in after_step
    markup = api.edited_texts[-1].reply_markup
    assert markup is not None and [b["text"] for row in markup["inline_keyboard"]
                                   for b in row] == [
        f"Publish #{kenya}", f"#{received} → Circulated to assistance providers"]
    assert audited(engine, kenya)[-1] == (ACTOR, "confirm")
    assert audited(engine, received)[-1] == (ACTOR, "step")


async def test_a_publication_without_consent_is_refused_with_its_sentence(
    api: FakeBotApi, engine: Engine, staff: None, kenya: int, session: Session
) -> None:
    async with staff_bot(api, engine):
        shown = await write(api, STAFF, "/requests")
        request = session.get(AssistanceRequest, kenya)
        assert request is not None
        request.consent_to_publish = False  # the State withdrew its consent meanwhile
        session.add(request)
        session.commit()
        refused, _ = await press(api, STAFF, shown, data_of(shown, f"Publish #{kenya}"))
    assert refused == words("refused", code="assistance_no_consent", params={"id": str(kenya)})
    assert refused.startswith(f"Request #{kenya} cannot be published: the State has not "
                              "consented")
    assert stored(engine, kenya).published_on is None
    assert (ACTOR, "publish") not in audited(engine, kenya)


async def test_publish_puts_a_consenting_request_on_the_list(
    api: FakeBotApi, engine: Engine, staff: None, kenya: int
) -> None:
    async with staff_bot(api, engine):
        shown = await write(api, STAFF, "/requests")
        done, after = await press(api, STAFF, shown, data_of(shown, f"Publish #{kenya}"))
    assert done == words("published", id=kenya)
    assert stored(engine, kenya).published_on == NOW.date()
    assert after is not None and "published on the website on 2026-11-27" in after
    assert audited(engine, kenya)[-1] == (ACTOR, "publish")


async def test_stale_and_foreign_presses_change_nothing_and_say_why(
    api: FakeBotApi, engine: Engine, staff: None, session: Session
) -> None:
    received = add_request(session, "PER", on=date(2026, 6, 1))
    async with staff_bot(api, engine):
        shown = await write(api, STAFF, "/requests")
        step = data_of(shown, f"#{received} → Circulated to the Committee")
        stranger, _ = await press(api, STRANGER, shown, step, refreshed=False)
        request = session.get(AssistanceRequest, received)
        assert request is not None
        requests.advance(session=session, request=request, to="circulated",
                         on=date(2026, 7, 1), actor="cli:ana", now=NOW)
        session.commit()
        moved_on, refreshed = await press(api, STAFF, shown, step)
        garbled, _ = await press(api, STAFF, shown, "areq:s:12", refreshed=False)
    assert stranger == words("buttons_refused")
    assert moved_on == words("moved_on", id=received, status="circulated")
    assert refreshed is not None and "<i>Circulated to the Committee</i>" in refreshed
    assert garbled == words("stale_button")
    assert [actor for actor, _ in audited(engine, received)] == ["test", "cli:ana"]


# -- the buttons' data ------------------------------------------------------------------------


def test_the_longest_buttons_data_fits_telegrams_64_bytes_and_reads_back() -> None:
    longest = Press("s", 999_999_999, "in_progress", "partly_met", "legislation", 999_995)
    assert len(longest.data.encode()) <= 64
    assert Press.parse(longest.data) == longest
    assert Press.parse("areq:s:12") is None
    assert Press.parse(Press("c", 7, "open", "-", None, 0).data) == Press(
        "c", 7, "open", "-", None, 0)


@pytest.mark.parametrize(("status", "steps"), [
    ("received", ("circulated",)),
    ("circulated", ("open",)),
    ("open", ()),  # matched with a provider: `outreach assistance match`
    ("matched", ("in_progress",)),
    ("in_progress", ("met", "partly_met")),
    ("met", ()),
    ("withdrawn", ()),
])
def test_buttons_offer_the_procedures_next_step_only(status: str, steps: tuple[str, ...]
                                                     ) -> None:
    assert next_steps(status) == steps
