"""Load the reference data shipped in storage/reference/ into the database, idempotently."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from sqlmodel import Session, select

from storage import audit
from storage.parties import Language, Party, PartyKind, RegionalGroup

REFERENCE_ACTOR = "system:reference-data"


def _rows(filename: str) -> Iterator[dict[str, str]]:
    text = resources.files("storage").joinpath("reference", filename).read_text("utf-8")
    yield from csv.DictReader(text.splitlines())


def _blank_to_none(value: str) -> str | None:
    return value or None


@cache
def aliases() -> dict[str, str]:
    """Former and common names (Turkey, Ivory Coast...) -> ISO3, for "did you mean"."""
    return {row["alias"]: row["iso3"] for row in _rows("aliases.csv")}


@dataclass
class ReferenceLoad:
    created: int = 0
    updated: int = 0


def _upsert(
    session: Session, load: ReferenceLoad, existing: Any, wanted: dict[str, Any],
    factory: type[Any], entity: str, key: str, now: datetime,
) -> None:
    if existing is None:
        session.add(factory(**wanted))
        load.created += 1
        audit.record(session=session, actor=REFERENCE_ACTOR, action="create", entity=entity,
                     entity_id=wanted[key], before=None, after=wanted, now=now)
        return
    before = {name: getattr(existing, name) for name in wanted}
    if before == wanted:
        return
    for name, value in wanted.items():
        setattr(existing, name, value)
    session.add(existing)
    load.updated += 1
    audit.record(session=session, actor=REFERENCE_ACTOR, action="update", entity=entity,
                 entity_id=wanted[key], before=before, after=wanted, now=now)


def load_reference_data(*, session: Session, now: datetime) -> ReferenceLoad:
    """Insert or correct groups, languages, Member States and organisations; never delete.

    A second run finds everything equal and writes nothing, not even an audit entry; `now`
    stamps the audit entries of what changed.
    """
    load = ReferenceLoad()
    groups = {group.code: group for group in session.exec(select(RegionalGroup))}
    for row in _rows("regional_groups.csv"):
        _upsert(session, load, groups.get(row["code"]), dict(row), RegionalGroup,
                "regional_group", "code", now)
    languages = {language.code: language for language in session.exec(select(Language))}
    for row in _rows("languages.csv"):
        _upsert(session, load, languages.get(row["code"]), dict(row), Language,
                "language", "code", now)
    session.flush()
    parties = {party.code: party for party in session.exec(select(Party))}
    for row in _rows("member_states.csv"):
        wanted: dict[str, Any] = {
            "kind": PartyKind.STATE.value,
            "code": row["iso3"],
            "name": row["name"],
            "iso2": row["iso2"],
            "m49": row["m49"],
            "regional_group": _blank_to_none(row["regional_group"]),
            "electoral_group": _blank_to_none(row["electoral_group"]),
            "observer_in": _blank_to_none(row["observer_in"]),
            "also_participates_in": _blank_to_none(row["also_participates_in"]),
            "scope": None,
        }
        _upsert(session, load, parties.get(row["iso3"]), wanted, Party, "party", "code", now)
    for row in _rows("organisations.csv"):
        wanted = {
            "kind": PartyKind.ORGANISATION.value,
            "code": row["acronym"],
            "name": row["full_name"],
            "iso2": None,
            "m49": None,
            "regional_group": None,
            "electoral_group": None,
            "observer_in": None,
            "also_participates_in": None,
            "scope": row["scope"],
        }
        _upsert(session, load, parties.get(row["acronym"]), wanted, Party, "party", "code", now)
    session.flush()
    return load
