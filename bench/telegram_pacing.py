"""Benchmark: how close the Telegram channel comes to the pace Telegram's limits allow.

    .venv/bin/python bench/telegram_pacing.py [--deliveries 1000] [--chats 200]

A throw-away database (a SQLite file by default; --backend postgresql as in
bench/email_broadcast.py) with `chats` invented PoCs that have a Telegram chat id and no
e-mail address, and as many messages (template contact_check) as it takes to make
`deliveries` Telegram deliveries: message k goes to the first PoCs, so 1000 over 200 chats is
5 messages x 200 PoCs. The Dispatcher then runs once with
TelegramSender(FakeBotApi.TOKEN, base_url) against tests/support/fake_bot_api.FakeBotApi with
enforce_limits=True: sliding one-second windows of 30 messages overall and 1 per chat; any
message over a limit is answered 429 and counted.

The ideal is what the limits allow: deliveries / 30 s overall, and (messages per chat - 1) s
for the busiest chat; the larger of the two. Targets: wall time within 5 % of the ideal, no
429 received, every delivery `sent`. It takes about 35 s by nature.
"""

import argparse
import asyncio
import math
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine

from bench._common import (
    BACKENDS,
    Backend,
    UnusedEmailSender,
    audience,
    create_pocs,
    database,
    delivery_states,
    enqueue_broadcast,
    out,
)
from bot.channels.telegram import TelegramSender
from bot.delivery.dispatcher import Dispatcher, DispatchStats
from storage.db import make_engine
from storage.outbox import Channel
from tests.support.fake_bot_api import FakeBotApi, ReceivedMessage

FIRST_CHAT_ID = 700_000_000  # invented private chats
TARGET_OVER_IDEAL = 0.05


@dataclass(frozen=True)
class Plan:
    deliveries: int
    chats: int

    @property
    def messages(self) -> int:
        return math.ceil(self.deliveries / self.chats)

    def audience_size(self, message: int) -> int:
        """How many PoCs message `message` (0-based) goes to."""
        return min(self.chats, self.deliveries - message * self.chats)

    @property
    def ideal_overall(self) -> float:
        return self.deliveries / 30

    @property
    def ideal_per_chat(self) -> float:
        return float(self.messages - 1)

    @property
    def ideal(self) -> float:
        return max(self.ideal_overall, self.ideal_per_chat)


def prepare(engine: Engine, plan: Plan) -> None:
    poc_ids = create_pocs(engine, plan.chats, with_email=False, first_chat_id=FIRST_CHAT_ID)
    recipients = audience(engine, poc_ids, Channel.TELEGRAM)
    assert len(recipients) == plan.chats, "every PoC should be reachable on Telegram"
    for message in range(plan.messages):
        enqueue_broadcast(engine, recipients[:plan.audience_size(message)],
                          dedupe_key=f"bench-telegram-{message}")


async def dispatch(engine: Engine, fake: FakeBotApi) -> tuple[DispatchStats, float]:
    dispatcher = Dispatcher(engine=engine, email=UnusedEmailSender(),
                            telegram=TelegramSender(FakeBotApi.TOKEN, fake.base_url))
    started = time.perf_counter()
    stats = await dispatcher.run_once()
    return stats, time.perf_counter() - started


def spacing(messages: list[ReceivedMessage]) -> tuple[float, float, int]:
    """The span first -> last arrival, the closest two to one chat, the most in any 1 s."""
    if not messages:
        return 0.0, 0.0, 0
    times = sorted(message.timestamp for message in messages)
    by_chat: dict[int, list[float]] = defaultdict(list)
    for message in messages:
        by_chat[message.chat_id].append(message.timestamp)
    gaps = [later - earlier for stamps in by_chat.values()
            for earlier, later in zip(sorted(stamps), sorted(stamps)[1:], strict=False)]
    busiest, start = 0, 0
    for end, moment in enumerate(times):
        while times[start] <= moment - 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return times[-1] - times[0], min(gaps, default=math.inf), busiest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite")
    args = parser.parse_args()
    plan = Plan(deliveries=args.deliveries, chats=args.chats)
    backend: Backend = args.backend
    out(f"Telegram pacing: {plan.deliveries} deliveries, {plan.chats} chats, "
        f"{plan.messages} messages; backend {backend}")
    with tempfile.TemporaryDirectory(prefix="outreach-bench-") as folder, \
            database(backend, Path(folder)) as url:
        engine = make_engine(url)
        try:
            prepare(engine, plan)
            with FakeBotApi(enforce_limits=True) as fake:
                stats, seconds = asyncio.run(dispatch(engine, fake))
                received = fake.messages
                too_many = fake.too_many_requests_sent
            states = delivery_states(engine)
        finally:
            engine.dispose()
    span, closest, busiest = spacing(received)
    ratio = seconds / plan.ideal if plan.ideal else math.inf
    per_chat: dict[int, int] = defaultdict(int)
    for message in received:
        per_chat[message.chat_id] += 1
    wanted = {FIRST_CHAT_ID + index: sum(plan.audience_size(k) > index
                                         for k in range(plan.messages))
              for index in range(plan.chats)}
    all_sent = (states == {"sent": plan.deliveries} and per_chat == wanted
                and stats.sent == plan.deliveries)
    out()
    out(f"wall time (Dispatcher.run_once)   {seconds:8.2f} s")
    out(f"first -> last message at the API  {span:8.2f} s")
    out(f"ideal overall ({plan.deliveries} / 30 per s)     {plan.ideal_overall:8.2f} s")
    out(f"ideal per chat ({plan.messages} - 1) x 1 s      {plan.ideal_per_chat:8.2f} s")
    out(f"ideal (the larger)                {plan.ideal:8.2f} s")
    out(f"wall / ideal                      {ratio:8.3f}")
    out(f"throughput                        {plan.deliveries / seconds:8.2f} msg/s"
        if seconds else "throughput: -")
    out(f"most in any 1 s window            {busiest:8d}   (limit 30)")
    out(f"closest two to one chat           {closest:8.2f} s (limit 1 s)")
    out(f"429 Too Many Requests received    {too_many:8d}")
    out()
    pace_ok = ratio <= 1 + TARGET_OVER_IDEAL
    out(f"target wall within {TARGET_OVER_IDEAL:.0%} of ideal: {ratio - 1:+.1%} -> "
        f"{'met' if pace_ok else 'MISSED'}")
    out(f"target no 429: {too_many} -> {'met' if too_many == 0 else 'MISSED'}")
    out(f"check: {'OK' if all_sent else 'FAILED'}: the API accepted {len(received)} messages "
        f"({'each chat got its own' if per_chat == wanted else 'NOT as planned per chat'}), "
        f"deliveries {states}, dispatcher sent {stats.sent} (want all {plan.deliveries} sent)")
    return 0 if all_sent else 1


if __name__ == "__main__":
    sys.exit(main())
