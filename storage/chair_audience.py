"""Who receives a Chair's message: an audience filter, and the plan it resolves to.

The plan is computed the same way for the preview, for the approval check and at release,
so what staff saw is what goes out (as long as the registry did not change in between).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, func, select

from storage import outbox
from storage.outbox import Channel
from storage.parties import UN_LANGUAGES, Party, PartyKind, RegionalGroup
from storage.pocs import PocRole, PocStatus, PointOfContact

# The six official languages of the UN, in the UN's order; English is the fall-back.
CHAIR_LANGUAGES = UN_LANGUAGES
FALLBACK_LANGUAGE = "en"


class InvalidAudience(ValueError):
    """A filter value that names nothing we know (a kind, group, role or language)."""

    def __init__(self, dimension: str, value: str) -> None:
        super().__init__(f"unknown {dimension}: {value!r}")
        self.dimension = dimension
        self.value = value


@dataclass(frozen=True)
class AudienceFilter:
    """Each dimension is a set of accepted values; an empty one accepts everybody.

    `groups` are UN electoral groups (AFR, APG, EEG, GRULAC, WEOG) and therefore select
    States only; `languages` is the PoC's own language.
    """

    kinds: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    def to_json(self) -> dict[str, list[str]]:
        return {"kinds": list(self.kinds), "groups": list(self.groups),
                "roles": list(self.roles), "languages": list(self.languages)}

    @classmethod
    def from_json(cls, value: dict[str, Any] | None) -> "AudienceFilter":
        value = value or {}
        return cls(*(tuple(value.get(name, ())) for name in ("kinds", "groups", "roles",
                                                               "languages")))

    @property
    def is_everyone(self) -> bool:
        return not (self.kinds or self.groups or self.roles or self.languages)


def _clean(values: Iterable[str], allowed: Iterable[str], dimension: str,
           upper: bool = False) -> tuple[str, ...]:
    known = {value.upper() if upper else value.lower() for value in allowed}
    cleaned: list[str] = []
    for raw in values:
        value = raw.strip().upper() if upper else raw.strip().lower()
        if value not in known:
            raise InvalidAudience(dimension, raw)
        if value not in cleaned:
            cleaned.append(value)
    return tuple(sorted(cleaned))


def allowed_values(*, session: Session) -> dict[str, list[str]]:
    """What each dimension of a filter accepts (kind, group, role, language), as people
    write it: the one list the CLI, the chat and `validated` go by."""
    return {"kind": [k.value for k in PartyKind],
            "group": sorted(session.exec(select(RegionalGroup.code))),
            "role": [r.value for r in PocRole],
            "language": list(CHAIR_LANGUAGES)}


def validated(*, session: Session, kinds: Iterable[str] = (), groups: Iterable[str] = (),
              roles: Iterable[str] = (), languages: Iterable[str] = ()) -> AudienceFilter:
    """A filter from what a person typed (any case); raises InvalidAudience."""
    allowed = allowed_values(session=session)
    return AudienceFilter(
        kinds=_clean(kinds, allowed["kind"], "kind"),
        groups=_clean(groups, allowed["group"], "group", upper=True),
        roles=_clean(roles, allowed["role"], "role"),
        languages=_clean(languages, allowed["language"], "language"),
    )


@dataclass(frozen=True)
class PlannedRecipient:
    poc_id: int
    party_code: str
    poc_language: str
    language: str  # the body this PoC gets
    fell_back: bool  # their language has no body: they get English
    channels: tuple[Channel, ...]  # empty: no channel we may use, staff must see them


@dataclass(frozen=True)
class RecipientPlan:
    recipients: list[PlannedRecipient] = field(default_factory=list)

    @property
    def reachable(self) -> list[PlannedRecipient]:
        return [r for r in self.recipients if r.channels]

    @property
    def unreachable(self) -> list[PlannedRecipient]:
        return [r for r in self.recipients if not r.channels]

    @property
    def fallbacks(self) -> list[PlannedRecipient]:
        return [r for r in self.recipients if r.fell_back]

    def table(self) -> dict[tuple[str, Channel], int]:
        """(body language, channel) -> number of deliveries."""
        return dict(Counter((r.language, channel) for r in self.recipients
                            for channel in r.channels))


def plan(*, session: Session, audience: AudienceFilter,
         body_languages: Iterable[str]) -> RecipientPlan:
    """The active PoCs the filter selects, each with its body language and usable channels."""
    query = (
        select(PointOfContact.id, PointOfContact.language, Party.code)
        .join(Party, col(Party.id) == col(PointOfContact.party_id))
        .where(PointOfContact.status == PocStatus.ACTIVE)
        .order_by(col(PointOfContact.id))
    )
    if audience.kinds:
        query = query.where(col(Party.kind).in_(audience.kinds))
    if audience.groups:
        query = query.where(func.upper(Party.electoral_group).in_(audience.groups))
    if audience.roles:
        query = query.where(col(PointOfContact.role).in_(audience.roles))
    if audience.languages:
        query = query.where(col(PointOfContact.language).in_(audience.languages))
    rows = [(poc_id, language, code) for poc_id, language, code in session.exec(query)
            if poc_id is not None]
    channels: dict[int, list[Channel]] = {}
    for recipient in outbox.audience_of(session=session,
                                        poc_ids=[poc_id for poc_id, _, _ in rows]).recipients:
        channels.setdefault(recipient.poc_id, []).append(recipient.channel)
    available = set(body_languages)
    recipients = []
    for poc_id, poc_language, code in rows:
        fell_back = poc_language not in available
        recipients.append(PlannedRecipient(
            poc_id=poc_id, party_code=code, poc_language=poc_language,
            language=FALLBACK_LANGUAGE if fell_back else poc_language, fell_back=fell_back,
            channels=tuple(channels.get(poc_id, ())),
        ))
    return RecipientPlan(recipients=recipients)
