"""Staff choose who receives the Chair's message from Telegram: /chair audience.

Through the reply bot's real Application and the fake Bot API, on both backends; the
release at the end runs storage.chair_release as `outreach run` does.
"""

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.chat.chair.calls import say
from storage import chair
from storage.audit import AuditEntry
from storage.chair import ChairMessage, ChairState
from storage.chair_release import release
from storage.outbox import Delivery
from tests.support.chair import NOW, draft
from tests.support.chair_chat import ADMIN, POC_CHAT, SECOND, STRANGER, chat_driver
from tests.support.chat import poc_say, staff_say
from tests.support.fake_bot_api import FakeBotApi

EVERYONE: dict[str, list[str]] = {"kinds": [], "groups": [], "roles": [], "languages": []}


def stored(engine: Engine, message_id: int) -> ChairMessage:
    with Session(engine) as fresh:
        return chair.get(session=fresh, message_id=message_id)


def table_row(label: str, email: int, telegram: int, pocs: int, fallbacks: int) -> str:
    """A line of the recipients table as staff read it (language, counts per channel)."""
    return f"{label:<8}  {email:6d}  {telegram:8d}  {pocs:4d}  {fallbacks}"


async def test_a_filter_shows_who_it_reaches_by_channel_and_all_resets_it(
    api: FakeBotApi, engine: Engine, people: dict[str, int], session: Session
) -> None:
    message_id = draft(session, languages=("en", "fr"))
    revision = stored(engine, message_id).revision
    async with chat_driver(api, engine) as chat:
        french = await chat.say(ADMIN, f"/chair audience {message_id} group=WEOG language=fr")
        assert french.text.startswith(
            f"<b>Message {message_id}</b> now goes to group WEOG; language fr: "
            "1 Point of Contact reachable.")
        assert table_row("fr", 1, 1, 1, 0) in french.text  # Claire: e-mail and Telegram
        assert table_row("total", 1, 1, 1, 0) in french.text
        message = stored(engine, message_id)
        assert message.audience == {**EVERYONE, "groups": ["WEOG"], "languages": ["fr"]}
        assert message.revision == revision + 1
        assert message.updated_by == f"telegram:{ADMIN}"

        spaced = await chat.say(ADMIN, f"/chair audience {message_id} Group = weog, eeg "
                                       "KIND=state")
        assert spaced.text.startswith(
            f"<b>Message {message_id}</b> now goes to kind state; group EEG, WEOG: "
            "3 Points of Contact reachable.")
        assert table_row("en", 2, 0, 2, 1) in spaced.text  # Olivia, and Ivan in English
        assert table_row("fr", 1, 1, 1, 0) in spaced.text

        everyone = await chat.say(ADMIN, f"/chair audience {message_id} all")
        assert everyone.text.startswith(
            f"<b>Message {message_id}</b> now goes to every active Point of Contact: "
            "4 Points of Contact reachable, 1 with no channel.")
        assert table_row("total", 4, 2, 4, 1) in everyone.text
        assert f"PoC {people['silent']} (SEN)" in everyone.text  # no channel: staff see it
        assert stored(engine, message_id).audience == EVERYONE

        nobody = await chat.say(ADMIN, f"/chair audience {message_id} role=mission")
        assert "0 Points of Contact reachable" in nobody.text
        assert "it cannot be approved with this audience" in nobody.text
    with Session(engine) as fresh:
        actions = fresh.exec(select(AuditEntry.action, AuditEntry.actor).where(
            AuditEntry.entity_id == str(message_id),
            AuditEntry.action == "set_audience")).all()
    assert actions == [("set_audience", f"telegram:{ADMIN}")] * 4


async def test_words_the_cli_would_refuse_get_the_usage_and_change_nothing(
    api: FakeBotApi, engine: Engine, people: dict[str, int], session: Session
) -> None:
    message_id = draft(session)
    before = stored(engine, message_id)
    async with chat_driver(api, engine) as chat:
        bad_group = await chat.say(ADMIN, f"/chair audience {message_id} group=XYZ,AFR")
        assert bad_group.text.startswith('There is no group "XYZ"; nothing changed.')
        for allowed in ("<code>kind</code>: state, organisation",
                        "AFR, APG, EEG, GRULAC, WEOG",
                        "<code>role</code>: national, assistance, coordinator, mission",
                        "ar, zh, en, fr, ru, es"):
            assert allowed in bad_group.text, allowed
        bad_language = await chat.say(ADMIN, f"/chair audience {message_id} language=de")
        assert bad_language.text.startswith('There is no language "de"; nothing changed.')
        bad_key = await chat.say(ADMIN, f"/chair audience {message_id} colour=<b>red</b>")
        assert bad_key.text.startswith(
            '"colour=&lt;b&gt;red&lt;/b&gt;" is not <code>key=value</code> '
            "(keys: kind, group, role, language)")
        usage = bad_group.text.split("\n", 1)[1]
        for typed in ("", "kind=", "kind=state,", "all kind=state", "everyone"):
            answer = await chat.say(ADMIN, f"/chair audience {message_id} {typed}")
            assert answer.text.endswith(usage), typed
        assert (await chat.say(ADMIN, "/chair audience")).text == say(
            "audience_usage", allowed={"kind": ["state", "organisation"],
                                       "group": ["AFR", "APG", "EEG", "GRULAC", "WEOG"],
                                       "role": ["national", "assistance", "coordinator",
                                                "mission"],
                                       "language": ["ar", "zh", "en", "fr", "ru", "es"]},
            word="", dimension="")
        assert "<code>/chair audience ID all</code>" in (await chat.say(ADMIN, "/chair")).text
    after = stored(engine, message_id)
    assert (after.audience, after.revision, after.updated_at) == (
        before.audience, before.revision, before.updated_at)


async def test_an_approved_message_is_a_draft_again_and_release_reaches_only_the_filter(
    api: FakeBotApi, engine: Engine, people: dict[str, int], session: Session
) -> None:
    message_id = draft(session, languages=("en", "fr"))
    async with chat_driver(api, engine) as chat:
        assert "is approved" in (await chat.say(SECOND, f"/chair approve {message_id}")).text
        changed = await chat.say(ADMIN, f"/chair audience {message_id} group=WEOG,AFR "
                                        "language=fr")
        assert "It was approved, and is a draft again: it needs a new approval." in (
            changed.text)
        assert stored(engine, message_id).state == ChairState.DRAFT
        again = await chat.say(ADMIN, f"/chair audience {message_id} language=fr")
        assert "draft again" not in again.text  # it was a draft already
        # the admin chose the audience: an author now, so staff member B approves
        assert "is approved" in (await chat.say(SECOND, f"/chair approve {message_id}")).text
    with Session(engine) as fresh:
        queued = release(session=fresh, message_id=message_id, actor="test", now=NOW)
        fresh.commit()
        sent_to = {(d.poc_id, d.channel) for d in fresh.exec(select(Delivery))}
    assert queued is not None and queued.unreachable == [people["silent"]]
    assert sent_to == {(people["claire"], "email"), (people["claire"], "telegram")}
    async with chat_driver(api, engine) as chat:
        late = await chat.say(ADMIN, f"/chair audience {message_id} all")
        assert late.text == f"Message {message_id} is sending: it can no longer change."
        unknown = await chat.say(ADMIN, "/chair audience 99 all")
        assert unknown.text == "There is no Chair's message 99."
    assert stored(engine, message_id).audience == {**EVERYONE, "languages": ["fr"]}


async def test_outsiders_and_points_of_contact_cannot_choose_the_audience(
    api: FakeBotApi, engine: Engine, people: dict[str, int], session: Session
) -> None:
    message_id = draft(session)
    before = stored(engine, message_id)
    async with chat_driver(api, engine) as chat:
        for user_id, refusal in ((STRANGER, staff_say("refused")),
                                 (POC_CHAT, poc_say("en", "staff_only"))):
            for line in (f"/chair audience {message_id} language=fr", "/chair audience",
                         f"/chair audience {message_id} all"):
                assert (await chat.say(user_id, line)).text == refusal, line
    after = stored(engine, message_id)
    assert (after.audience, after.revision) == (before.audience, before.revision)
