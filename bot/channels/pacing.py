"""Pacing: hand out send slots no faster than a rate, overall and per key (a chat).

Slots are reserved, not polled: each caller gets the earliest instant that keeps every limit
and sleeps until then, so concurrent senders stay under the limits without a burst at start
(a token bucket would allow one, and Telegram counts in sliding windows). A caller whose
chat must wait does not hold back the others: free slots before its own stay usable.
"""

import asyncio
import bisect
import time
from collections.abc import Awaitable, Callable, Hashable

_EPSILON = 1e-9


class Pacer:
    def __init__(
        self,
        per_second: float | None,
        per_key_per_second: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = 1.0 / per_second if per_second else 0.0
        self._key_interval = 1.0 / per_key_per_second if per_key_per_second else 0.0
        self._clock = clock
        self._sleep = sleep
        self._slots: list[float] = []  # reserved instants, sorted
        self._paused_until = 0.0
        self._next_by_key: dict[Hashable, float] = {}

    def _earliest_free(self, start: float) -> float:
        slot = start
        index = bisect.bisect_right(self._slots, slot - self._interval + _EPSILON)
        while index < len(self._slots) and self._slots[index] < slot + self._interval - _EPSILON:
            slot = max(slot, self._slots[index] + self._interval)
            index += 1
        return slot

    def reserve(self, key: Hashable | None = None) -> float:
        """Reserve the next slot for `key` and return how many seconds to wait for it."""
        now = self._clock()
        start = max(now, self._paused_until)
        if key is not None and self._key_interval:
            start = max(start, self._next_by_key.get(key, 0.0))
        slot = self._earliest_free(start) if self._interval else start
        if self._interval:
            horizon = bisect.bisect_left(self._slots, now - self._interval)
            del self._slots[:horizon]  # slots far enough in the past constrain nothing
            bisect.insort(self._slots, slot)
        if key is not None and self._key_interval:
            self._next_by_key[key] = slot + self._key_interval
            if len(self._next_by_key) > 10_000:
                self._next_by_key = {k: t for k, t in self._next_by_key.items() if t > now}
        return slot - now

    async def wait(self, key: Hashable | None = None) -> None:
        delay = self.reserve(key)
        if delay > 0:
            await self._sleep(delay)

    def pause(self, seconds: float, key: Hashable | None = None) -> None:
        """The far end asked us to wait (HTTP 429 retry_after): no slot before then."""
        until = self._clock() + seconds
        if key is None:
            self._paused_until = max(self._paused_until, until)
        else:
            self._next_by_key[key] = max(self._next_by_key.get(key, 0.0), until)
