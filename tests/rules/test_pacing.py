"""Pacing keeps Telegram's and mail relays' limits with a fixed clock, no real waiting."""

from bot.channels.pacing import Pacer


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def max_in_window(times: list[float], width: float) -> int:
    ordered = sorted(times)
    return max(
        sum(1 for t in ordered if start <= t < start + width - 1e-9) for start in ordered
    )


def test_thirty_per_second_overall_and_one_per_second_per_chat() -> None:
    clock = FakeClock()
    pacer = Pacer(per_second=30, per_key_per_second=1, clock=clock)
    slots: dict[int, list[float]] = {}
    every: list[float] = []
    for round_ in range(5):
        for chat in range(200):
            slot = pacer.reserve(chat) + clock.now
            slots.setdefault(chat, []).append(slot)
            every.append(slot)
        del round_
    assert max_in_window(every, 1.0) <= 30
    assert all(max_in_window(chat_slots, 1.0) <= 1 for chat_slots in slots.values())
    # 1,000 sends at 30/s: the last one goes out at (1000 - 1) / 30 s, no later
    assert max(every) <= 999 / 30 + 1e-6


def test_a_waiting_chat_does_not_hold_back_the_others() -> None:
    clock = FakeClock()
    pacer = Pacer(per_second=30, per_key_per_second=1, clock=clock)
    assert pacer.reserve("a") == 0
    assert abs(pacer.reserve("a") - 1.0) < 1e-9  # a's next slot is a second later
    assert abs(pacer.reserve("b") - 1 / 30) < 1e-9  # b goes in between


def test_retry_after_pauses_everything_until_it_ends() -> None:
    clock = FakeClock()
    pacer = Pacer(per_second=30, clock=clock)
    pacer.pause(5.0)
    assert pacer.reserve() == 5.0
    clock.now = 10.0
    assert pacer.reserve() == 0.0


def test_a_per_minute_cap_spaces_mail_evenly() -> None:
    clock = FakeClock()
    pacer = Pacer(per_second=30 / 60, clock=clock)
    waits = [pacer.reserve() for _ in range(31)]
    assert waits[0] == 0 and abs(waits[30] - 60.0) < 1e-9
