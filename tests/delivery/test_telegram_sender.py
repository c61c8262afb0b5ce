"""The Telegram sender, through python-telegram-bot's real HTTP stack, against a fake Bot API."""

import asyncio
import datetime as dtm
import itertools
import socket
import time
from collections.abc import Iterator

import pytest
from telegram.error import RetryAfter

from bot.channels.contract import Outcome, OutgoingTelegram, SendResult, UncertainDelivery
from bot.channels.telegram import TOKEN_REJECTED, TelegramSender, _retry_after_seconds
from tests.support.fake_bot_api import FakeBotApi

# PTB 22 itself warns when it builds a RetryAfter (its retry_after will become a timedelta).
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

CHAT = 424242


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture
def limited_api() -> Iterator[FakeBotApi]:
    """Telegram's limits enforced: 30 messages in any second, one a second per chat."""
    with FakeBotApi(enforce_limits=True) as fake:
        yield fake


def item(chat_id: int = CHAT, html: str = "Hello", delivery_id: int = 1) -> OutgoingTelegram:
    return OutgoingTelegram(delivery_id=delivery_id, chat_id=chat_id, html=html)


def sender_for(api: FakeBotApi, read_timeout: float = 60.0) -> TelegramSender:
    """A sender that waits for the local fake as long as a busy machine may need."""
    return TelegramSender(FakeBotApi.TOKEN, api.base_url, read_timeout=read_timeout)


async def send_one(api: FakeBotApi, outgoing: OutgoingTelegram) -> SendResult:
    async with sender_for(api) as sender:
        return await sender.send(outgoing)


def busiest_second(times: list[float]) -> int:
    ordered = sorted(times)
    return max(sum(1 for t in ordered if start <= t < start + 1.0) for start in ordered)


async def test_a_message_arrives_in_html_parse_mode_with_its_escaped_content_untouched(
    api: FakeBotApi,
) -> None:
    html = (
        "<b>Chair&#x27;s letter</b> to the &lt;Ministry&gt; &amp; partners: "
        '<a href="https://example.org/report?a=1&amp;b=2">report</a>'
    )
    result = await send_one(api, item(html=html))

    [message] = api.messages
    assert result == SendResult.sent(external_id=str(message.message_id))
    assert message.chat_id == CHAT
    assert message.text == html
    assert message.parse_mode == "HTML"
    assert message.link_preview_options == {"is_disabled": True}
    assert message.reply_markup is None
    assert api.calls == ["getMe", "sendMessage"]  # no getUpdates


async def test_a_batch_to_many_chats_stays_under_thirty_a_second_without_a_429(
    limited_api: FakeBotApi,
) -> None:
    async with sender_for(limited_api) as sender:
        results = await asyncio.gather(
            *(sender.send(item(chat_id=1000 + n, delivery_id=n)) for n in range(45))
        )

    refused = [result.reason for result in results if result.outcome != Outcome.SENT]
    assert refused == []
    assert limited_api.too_many_requests_sent == 0
    assert busiest_second([message.timestamp for message in limited_api.messages]) <= 30


async def test_each_chat_gets_at_most_one_message_a_second_without_a_429(
    limited_api: FakeBotApi,
) -> None:
    chats = (CHAT, CHAT + 1)
    async with sender_for(limited_api) as sender:
        results = await asyncio.gather(
            *(sender.send(item(chat_id=chats[n % 2], delivery_id=n)) for n in range(6))
        )

    assert {result.outcome for result in results} == {Outcome.SENT}
    assert limited_api.too_many_requests_sent == 0
    for chat in chats:
        times = [message.timestamp for message in limited_api.messages_to(chat)]
        assert len(times) == 3
        assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(times))


async def test_a_429_is_transient_with_retry_after_and_holds_back_the_next_send(
    api: FakeBotApi,
) -> None:
    api.inject_retry_after(1)
    async with sender_for(api) as sender:
        limited = await sender.send(item(chat_id=CHAT))
        started = time.monotonic()
        after = await sender.send(item(chat_id=CHAT + 1))
        waited = time.monotonic() - started

    assert limited.outcome is Outcome.TRANSIENT
    assert limited.retry_after == 1.0
    assert "retry after 1" in limited.reason
    assert after.outcome is Outcome.SENT
    assert waited >= 0.9
    assert api.too_many_requests_sent == 1


def test_retry_after_reads_as_seconds_whether_ptb_gives_an_int_or_a_timedelta(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _retry_after_seconds(RetryAfter(3)) == 3.0
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    assert _retry_after_seconds(RetryAfter(dtm.timedelta(seconds=1.5))) == 1.5


async def test_a_bot_blocked_by_the_user_is_permanent_and_unreachable(api: FakeBotApi) -> None:
    api.block_chat(CHAT)
    result = await send_one(api, item())

    assert result.outcome is Outcome.PERMANENT
    assert result.recipient_unreachable
    assert "blocked" in result.reason
    assert api.messages == []


async def test_a_deactivated_user_is_permanent_and_unreachable(api: FakeBotApi) -> None:
    api.deactivate_user(CHAT)
    result = await send_one(api, item())

    assert result.outcome is Outcome.PERMANENT
    assert result.recipient_unreachable


async def test_a_chat_not_found_is_permanent_and_unreachable(api: FakeBotApi) -> None:
    api.forget_chat(CHAT)
    result = await send_one(api, item())

    # python-telegram-bot drops the "Bad Request: " prefix and capitalises what is left
    assert result == SendResult.permanent("Chat not found", recipient_unreachable=True)


async def test_another_bad_request_is_permanent_but_the_chat_stays_reachable(
    api: FakeBotApi,
) -> None:
    result = await send_one(api, item(html=""))

    assert result.outcome is Outcome.PERMANENT
    assert not result.recipient_unreachable
    assert result.reason == "Message text is empty"


async def test_a_group_moved_to_a_supergroup_gets_the_message_at_its_new_id(
    api: FakeBotApi,
) -> None:
    old, new = -4004004, -1001234567890
    api.migrate_chat(old, new)
    result = await send_one(api, item(chat_id=old))

    [message] = api.messages
    assert message.chat_id == new
    assert result.outcome is Outcome.SENT
    assert result.external_id == str(message.message_id)
    assert result.migrated_to_chat_id == new


async def test_a_wrong_token_is_permanent_and_never_shown(api: FakeBotApi) -> None:
    token = "999999:not-the-right-token"
    async with TelegramSender(token, api.base_url) as sender:
        first = await sender.send(item())
        second = await sender.send(item())

    assert first == second == SendResult.permanent(TOKEN_REJECTED)
    assert token not in first.reason
    assert api.messages == []


async def test_telegram_down_is_transient() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with TelegramSender(FakeBotApi.TOKEN, f"http://127.0.0.1:{port}/bot") as sender:
        result = await sender.send(item())

    assert result.outcome is Outcome.TRANSIENT
    assert result.retry_after is None
    assert FakeBotApi.TOKEN not in result.reason


async def test_telegram_going_down_mid_batch_is_transient(api: FakeBotApi) -> None:
    async with sender_for(api) as sender:
        assert (await sender.send(item(chat_id=CHAT))).outcome is Outcome.SENT
        api.stop()
        result = await sender.send(item(chat_id=CHAT + 1))

    assert result.outcome is Outcome.TRANSIENT


async def test_no_answer_after_the_message_left_is_an_uncertain_delivery(api: FakeBotApi) -> None:
    api.delay_next_send(600)  # answered long after the sender gives up, however busy the machine
    async with sender_for(api, read_timeout=0.3) as sender:
        with pytest.raises(UncertainDelivery):
            await sender.send(item())

    assert [message.chat_id for message in api.messages] == [CHAT]  # it did arrive
