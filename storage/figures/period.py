"""A period of the figures: from one calendar day to another, both included.

Its own module so that every figures module (statistics, assistance) can take one without
importing the others.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end
