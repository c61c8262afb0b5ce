"""A problem found in input: where, which rule, and the values a message needs.

Storage reports problems as codes with parameters; the words live in templates/.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    line: int | None
    code: str
    params: dict[str, str] = field(default_factory=dict)


class RefusedChange(Exception):
    """A change storage refused: `code` names a message of templates/cli/<lang>/messages.j2,
    `params` the values it needs. Each aggregate subclasses it to name its own refusals."""

    def __init__(self, code: str, **params: str) -> None:
        self.code = code
        self.params = params
        super().__init__(f"{code} {params}")
