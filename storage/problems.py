"""A problem found in input: where, which rule, and the values a message needs.

Storage reports problems as codes with parameters; the words live in templates/.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    line: int | None
    code: str
    params: dict[str, str] = field(default_factory=dict)
