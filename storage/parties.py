"""Parties a PoC can speak for: Member States and organisations, with the UN's groupings."""

import unicodedata
from datetime import datetime
from enum import StrEnum
from typing import Final

from sqlmodel import Field, Session, SQLModel, col, func, select

from storage import audit
from storage.problems import RefusedChange


class PartyKind(StrEnum):
    STATE = "state"
    ORGANISATION = "organisation"


class OrganisationScope(StrEnum):
    INTERNATIONAL = "international"
    REGIONAL = "regional"
    SUB_REGIONAL = "sub_regional"
    UN_ENTITY = "un_entity"


# A university, NGO, industry association or other body that organises or hosts events:
# a party of its own kind (not a PartyKind: no PoC, Chair's audience, assistance provider or
# figure of organisations ever counts it), its BodyKind in Party.scope.
BODY: Final = "body"


class BodyKind(StrEnum):
    UNIVERSITY = "university"
    NGO = "ngo"
    INDUSTRY = "industry"  # an industry association
    OTHER = "other"


class RegionalGroup(SQLModel, table=True):
    __tablename__ = "regional_group"

    code: str = Field(primary_key=True, max_length=10)
    name: str = Field(max_length=80)


# The six official languages of the UN, in the UN's order (codes of the language table).
UN_LANGUAGES: Final = ("ar", "zh", "en", "fr", "ru", "es")


class Language(SQLModel, table=True):
    __tablename__ = "language"

    code: str = Field(primary_key=True, max_length=5)
    name: str = Field(max_length=40)
    native_name: str = Field(max_length=40)
    direction: str = Field(max_length=3)


class Party(SQLModel, table=True):
    __tablename__ = "party"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=200)
    # Member States only
    iso2: str | None = Field(default=None, max_length=2)
    m49: str | None = Field(default=None, max_length=3)
    regional_group: str | None = Field(
        default=None, foreign_key="regional_group.code", max_length=10
    )
    electoral_group: str | None = Field(
        default=None, foreign_key="regional_group.code", max_length=10
    )
    observer_in: str | None = Field(
        default=None, foreign_key="regional_group.code", max_length=10
    )
    also_participates_in: str | None = Field(
        default=None, foreign_key="regional_group.code", max_length=10
    )
    # organisations: an OrganisationScope; bodies (kind BODY): a BodyKind
    scope: str | None = Field(default=None, max_length=20)


CODE_MAX = 20
NAME_MAX = 200


def states(*, session: Session, group: str | None = None) -> list[Party]:
    """Member States by name; `group` matches the electoral group, as the UN counts them."""
    query = select(Party).where(Party.kind == PartyKind.STATE).order_by(col(Party.name))
    if group is not None:
        query = query.where(func.upper(Party.electoral_group) == group.upper())
    return list(session.exec(query))


def organisations(*, session: Session) -> list[Party]:
    query = select(Party).where(Party.kind == PartyKind.ORGANISATION).order_by(col(Party.code))
    return list(session.exec(query))


def bodies(*, session: Session) -> list[Party]:
    """Universities, NGOs, industry associations and other bodies, by code."""
    return list(session.exec(select(Party).where(Party.kind == BODY).order_by(col(Party.code))))


def regional_groups(*, session: Session) -> list[RegionalGroup]:
    return list(session.exec(select(RegionalGroup).order_by(col(RegionalGroup.code))))


def languages(*, session: Session) -> list[Language]:
    return list(session.exec(select(Language).order_by(col(Language.code))))


class PartyError(RefusedChange):
    """A refused organisation; `code` names a message of templates/cli/<lang>/messages.j2."""


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).strip()


def _check_text(value: str, what: str, limit: int) -> None:
    if not value or len(value) > limit or not value.isprintable():
        raise PartyError("org_text_invalid", what=what, limit=str(limit))


def add_organisation(*, session: Session, acronym: str, name: str, scope: str, actor: str,
                     now: datetime) -> Party:
    """An organisation the reference data does not list (audited). Its acronym and name
    must differ, whatever the case and accents, from every party's code and name, so that
    what a person types names one party. The reference data never deletes a party, so it
    stays through every `outreach init`."""
    return _add_party(session=session, kind=PartyKind.ORGANISATION, acronym=acronym,
                      name=name, scope=OrganisationScope(scope).value, actor=actor, now=now)


def add_body(*, session: Session, acronym: str, name: str, body_kind: str, actor: str,
             now: datetime) -> Party:
    """A university, NGO, industry association or other body (a BodyKind), so that events can
    name it as organiser or host (audited; acronym and name unique as add_organisation's).
    It is never an international, regional or sub-regional organisation: no figure of
    organisations counts it, and it cannot have a PoC or register as assistance provider."""
    return _add_party(session=session, kind=BODY, acronym=acronym, name=name,
                      scope=BodyKind(body_kind).value, actor=actor, now=now)


def _add_party(*, session: Session, kind: str, acronym: str, name: str, scope: str,
               actor: str, now: datetime) -> Party:
    acronym, name = acronym.strip(), " ".join(name.split())
    _check_text(acronym, "acronym", CODE_MAX)
    _check_text(name, "name", NAME_MAX)
    wanted = {_key(acronym), _key(name)}
    for party in session.exec(select(Party)):
        if wanted & {_key(party.code), _key(party.name)}:
            taken = acronym if _key(acronym) in {_key(party.code), _key(party.name)} else name
            raise PartyError("org_taken", value=taken, party=f"{party.code} ({party.name})")
    party = Party(kind=kind, code=acronym, name=name, scope=scope)
    session.add(party)
    session.flush()
    audit.record(session=session, actor=actor, action="create", entity="party",
                 entity_id=acronym, before=None,
                 after={"kind": party.kind, "code": acronym, "name": name, "scope": scope},
                 now=now)
    return party
