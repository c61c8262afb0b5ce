"""Retries back off exponentially with jitter, within bounds, and honour retry_after."""

import random
from datetime import timedelta

from scheduler.backoff import FIRST_RETRY, LONGEST_WAIT, retry_delay


def test_waits_grow_with_attempts_but_stay_within_bounds() -> None:
    rng = random.Random(7)
    for attempts in range(1, 30):
        delays = [retry_delay(attempts, None, rng) for _ in range(200)]
        bound = min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)
        assert all(FIRST_RETRY / 2 <= d <= max(bound, FIRST_RETRY) for d in delays)
    late = [retry_delay(8, None, rng) for _ in range(200)]
    early = [retry_delay(1, None, rng) for _ in range(200)]
    assert sum(late, timedelta()) > 10 * sum(early, timedelta())


def test_jitter_spreads_a_broadcast_that_failed_together() -> None:
    rng = random.Random(1)
    assert len({retry_delay(5, None, rng) for _ in range(50)}) == 50


def test_retry_after_from_the_far_end_is_a_minimum() -> None:
    assert retry_delay(1, 3600, random.Random(3)) == timedelta(hours=1)
