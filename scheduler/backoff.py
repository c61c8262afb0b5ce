"""When to try a transient failure again: exponential backoff with full jitter, bounded."""

import random
from datetime import timedelta

FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)


def retry_delay(attempts: int, retry_after: float | None, rng: random.Random) -> timedelta:
    """The wait before attempt `attempts + 1`; never shorter than what the far end asked.

    Full jitter (a random wait up to the exponential bound) spreads retries of a broadcast
    that failed together, so they do not hit a recovering server at the same instant.
    """
    doublings = min(max(attempts - 1, 0), 20)  # 2**20 x 30 s is far past the cap anyway
    bound = min(FIRST_RETRY * (1 << doublings), LONGEST_WAIT)
    jittered = FIRST_RETRY / 2 + (bound - FIRST_RETRY / 2) * rng.random()
    asked = timedelta(seconds=retry_after) if retry_after else timedelta(0)
    return max(jittered, asked)
