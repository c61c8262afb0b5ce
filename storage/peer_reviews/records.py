"""Peer reviews: checked, recorded, changed and listed; every write audited.

What a person gives (a command's options, a file's row) is text; `parse` turns it into
ReviewFields or problems (code and values, the words in templates/cli), all of them at once,
before anything is written. The CLI shows the problems, the importer numbers them by line.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, delete, select

from storage import audit
from storage.events import COMMITTEE, Event, EventType
from storage.imports.common import PartyFinder, check_cells
from storage.parties import Party, PartyKind
from storage.peer_reviews.model import (
    FIRST_YEAR,
    NOTES_MAX,
    PeerReview,
    PeerReviewEvent,
    PeerReviewState,
    PeerReviewSupporter,
)
from storage.problems import Problem

ENTITY = "peer_review"
_SEPARATORS = re.compile(r"[;,]")


class ReviewError(Exception):
    """A refused change: its problems (codes of templates/cli/en/messages.j2)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(problem.code for problem in problems))


@dataclass(frozen=True)
class ReviewFields:
    """A review as it is stored: party ids and codes, already checked."""

    states: tuple[int, ...]
    from_year: int
    to_year: int
    supporters: tuple[str, ...] = ()
    events: tuple[int, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ReviewText:
    """A review as a person writes it: each value a cell of the import's columns."""

    states: str
    from_year: str
    to_year: str = ""  # empty: the review ran in one year
    supported_by: str = ""
    events: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ReviewView:
    review: PeerReview
    states: tuple[Party, ...]
    supporters: tuple[str, ...]
    events: tuple[int, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(party.code for party in self.states)


def split(value: str) -> list[str]:
    """The items of a list cell or option, separated by ";" or ","."""
    return [item.strip() for item in _SEPARATORS.split(value) if item.strip()]


def _year(value: str, column: str, line: int | None, problems: list[Problem]) -> int | None:
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        problems.append(Problem(line, "review_bad_year", {"column": column, "value": value}))
        return None
    return int(text)


def _states(value: str, finder: PartyFinder, line: int | None,
            problems: list[Problem]) -> list[Party]:
    found: list[Party] = []
    for item in split(value):
        party = finder.find(item)
        if party is None:
            problems.append(Problem(line, "unknown_state", {
                "value": item, "suggestion": finder.suggestion(item, PartyKind.STATE)}))
        elif party.kind != PartyKind.STATE:
            problems.append(Problem(line, "review_not_a_state", {"value": item}))
        elif party not in found:
            found.append(party)
    return found


def _supporters(value: str, finder: PartyFinder, line: int | None,
                problems: list[Problem]) -> tuple[str, ...]:
    codes: list[str] = []
    for item in split(value):
        party = None if item.casefold() == COMMITTEE else finder.find(item)
        if party is None and item.casefold() != COMMITTEE:
            problems.append(Problem(line, "unknown_supporter", {
                "value": item, "suggestion": finder.suggestion(item)}))
            continue
        code = COMMITTEE if party is None else party.code
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _event_ids(value: str, line: int | None, problems: list[Problem]) -> tuple[int, ...]:
    ids: list[int] = []
    for item in split(value):
        if not (item.isascii() and item.isdigit()):
            problems.append(Problem(line, "review_bad_event", {"value": item}))
        elif int(item) not in ids:
            ids.append(int(item))
    return tuple(ids)


def _check_events(session: Session, ids: Sequence[int], review_id: int | None,
                  line: int | None, problems: list[Problem]) -> None:
    """Each event exists, is not deleted, is a peer review meeting and belongs to no other
    review."""
    if not ids:
        return
    events = {event.id: event for event in session.exec(
        select(Event).where(col(Event.id).in_(ids)))}
    owners = dict(session.exec(select(PeerReviewEvent.event_id, PeerReviewEvent.review_id)
                               .where(col(PeerReviewEvent.event_id).in_(ids))).all())
    for event_id in ids:
        event = events.get(event_id)
        if event is None or event.deleted_at is not None:
            problems.append(Problem(line, "review_unknown_event", {"id": str(event_id)}))
        elif event.type != EventType.PEER_REVIEW:
            problems.append(Problem(line, "review_event_type", {
                "id": str(event_id), "type": event.type}))
        elif owners.get(event_id, review_id) != review_id:
            problems.append(Problem(line, "review_event_taken", {
                "id": str(event_id), "review": str(owners[event_id])}))


def parse(*, session: Session, text: ReviewText, today: date, line: int | None = None,
          review_id: int | None = None, finder: PartyFinder | None = None,
          ) -> tuple[ReviewFields | None, list[Problem]]:
    """The review the text describes, or every problem with it (nothing is written)."""
    problems: list[Problem] = []
    finder = finder or PartyFinder(session.exec(select(Party)))
    found = _states(text.states, finder, line, problems)
    states = tuple(party.id for party in found if party.id is not None)
    if len(states) < 2 and len(problems) == 0:
        problems.append(Problem(line, "review_too_few_states", {"count": str(len(states))}))
    first = _year(text.from_year, "from_year", line, problems)
    last = _year(text.to_year, "to_year", line, problems) if text.to_year.strip() else first
    for column, year in (("from_year", first), ("to_year", last)):
        if year is not None and not FIRST_YEAR <= year <= today.year:
            problems.append(Problem(line, "review_year_out_of_range", {
                "column": column, "value": str(year), "first": str(FIRST_YEAR),
                "last": str(today.year)}))
    if first is not None and last is not None and last < first:
        problems.append(Problem(line, "review_years_reversed", {
            "from_year": str(first), "to_year": str(last)}))
    supporters = _supporters(text.supported_by, finder, line, problems)
    participants = {party.code for party in found}
    for code in supporters:
        if code in participants:
            problems.append(Problem(line, "review_supporter_participates", {"value": code}))
    events = _event_ids(text.events, line, problems)
    _check_events(session, events, review_id, line, problems)
    check_cells({"notes": text.notes}, {"notes": NOTES_MAX}, line, problems)
    if problems or first is None or last is None:
        return None, problems
    return ReviewFields(states, first, last, supporters, events, text.notes), []


def snapshot(fields: ReviewFields) -> dict[str, Any]:
    return {"states": list(fields.states), "from_year": fields.from_year,
            "to_year": fields.to_year, "supporters": list(fields.supporters),
            "events": list(fields.events), "notes": fields.notes}


def fields_of(*, session: Session, review: PeerReview) -> ReviewFields:
    assert review.id is not None
    states = session.exec(select(PeerReviewState.party_id)
                          .where(PeerReviewState.review_id == review.id)
                          .order_by(col(PeerReviewState.position)))
    supporters = session.exec(select(PeerReviewSupporter.code)
                              .where(PeerReviewSupporter.review_id == review.id)
                              .order_by(col(PeerReviewSupporter.position)))
    events = session.exec(select(PeerReviewEvent.event_id)
                          .where(PeerReviewEvent.review_id == review.id)
                          .order_by(col(PeerReviewEvent.event_id)))
    return ReviewFields(tuple(states), review.from_year, review.to_year, tuple(supporters),
                        tuple(events), review.notes)


def _write_children(session: Session, review_id: int, fields: ReviewFields) -> None:
    for table in (PeerReviewState, PeerReviewSupporter, PeerReviewEvent):
        session.exec(delete(table).where(col(table.review_id) == review_id))
    session.flush()
    for position, party_id in enumerate(fields.states):
        session.add(PeerReviewState(review_id=review_id, position=position, party_id=party_id))
    for position, code in enumerate(fields.supporters):
        session.add(PeerReviewSupporter(review_id=review_id, position=position, code=code))
    for event_id in fields.events:
        session.add(PeerReviewEvent(review_id=review_id, event_id=event_id))
    session.flush()


def add(*, session: Session, fields: ReviewFields, actor: str, now: datetime) -> PeerReview:
    """Record a review whose fields `parse` returned."""
    review = PeerReview(from_year=fields.from_year, to_year=fields.to_year, notes=fields.notes,
                        created_at=now, updated_at=now)
    session.add(review)
    session.flush()
    assert review.id is not None
    _write_children(session, review.id, fields)
    audit.record(session=session, actor=actor, action="create", entity=ENTITY,
                 entity_id=review.id, before=None, after=snapshot(fields), now=now)
    return review


def edit(*, session: Session, review: PeerReview, fields: ReviewFields, actor: str,
         now: datetime, action: str = "update") -> bool:
    """Give a review these values; False when it has them already."""
    current = fields_of(session=session, review=review)
    if current == fields:
        return False
    assert review.id is not None
    review.from_year, review.to_year, review.notes = (fields.from_year, fields.to_year,
                                                      fields.notes)
    review.updated_at = now
    session.add(review)
    _write_children(session, review.id, fields)
    audit.record(session=session, actor=actor, action=action, entity=ENTITY,
                 entity_id=review.id, before=snapshot(current), after=snapshot(fields),
                 now=now)
    return True


def get(*, session: Session, review_id: int) -> PeerReview:
    found = session.get(PeerReview, review_id)
    if found is None:
        raise ReviewError([Problem(None, "review_not_found", {"id": str(review_id)})])
    return found


def listing(*, session: Session, state_id: int | None = None) -> list[ReviewView]:
    """Every review (or those of one State), by first year, then last year, then id."""
    query = select(PeerReview).order_by(col(PeerReview.from_year), col(PeerReview.to_year),
                                        col(PeerReview.id))
    if state_id is not None:
        query = query.where(col(PeerReview.id).in_(
            select(PeerReviewState.review_id).where(PeerReviewState.party_id == state_id)))
    reviews = list(session.exec(query))
    parties = {party.id: party for party in session.exec(select(Party).where(
        col(Party.id).in_(select(PeerReviewState.party_id))))}
    views = []
    for review in reviews:
        fields = fields_of(session=session, review=review)
        views.append(ReviewView(review, tuple(parties[i] for i in fields.states),
                                fields.supporters, fields.events))
    return views


def find(*, session: Session, states: Sequence[int], from_year: int) -> PeerReview | None:
    """The review of exactly these States (in any order) that began in `from_year`: an
    import's identity."""
    wanted = sorted(states)
    for review in session.exec(select(PeerReview).where(PeerReview.from_year == from_year)):
        if sorted(fields_of(session=session, review=review).states) == wanted:
            return review
    return None
