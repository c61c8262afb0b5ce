"""Invented matrices for the 193 Member States, reproducing the seed paper's section 4.3.

Each State has two versions: one approved early in 2016 (on the template before the 2017
revision), before the paper's period starts, and one on the 2017 template approved and
published in December 2020. On 15 April 2022 (the period's last day, every State's December
2020 version): 79 % of possible measures recorded for OP 1, 77 % OP 2, 51 % OP 3 (c)-(d),
40 % OP 3 (a)-(b); 61 % NW, 58 % CW, 50 % BW; 56 % overall. On 26 April 2016 (its first day,
every State's 2016 version): 50 % overall, so the share "increased globally since 2016 by
approximately 6" points, by a different amount in each regional group (the groups' States
were given different weights in 2016 and 2020). Two versions lie just outside the rules and
count nowhere: one approved the day after the period ends, one sent and never approved.

The States are real (their codes); every matrix, count and date is invented. The totals per
section and weapon category are fixed below; they are spread over the States by weight, in a
fixed order: the same rows every time. Written through storage.matrices.versions (audited),
as `outreach import matrices` would.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Final

from sqlmodel import Session

from storage import parties
from storage.matrices import versions
from storage.matrices.model import CURRENT_TEMPLATE
from storage.matrices.versions import CELLS, Cell, VersionFields
from storage.parties import Party

ACTOR: Final = "demo"
PREVIOUS_TEMPLATE: Final = 2011  # invented: the template before the 2017 revision
# Possible measures per State in each section, for each weapon category (120 a State).
POSSIBLE: Final = {"op1": 4, "op2": 8, "op3_cd": 18, "op3_ab": 10}
# Measures recorded over the 193 States, per (section, category): the paper's shares.
RECORDED_2020: Final = {
    "op1": {"nw": 661, "cw": 628, "bw": 541}, "op2": {"nw": 1288, "cw": 1224, "bw": 1055},
    "op3_cd": {"nw": 1926, "cw": 1830, "bw": 1578},
    "op3_ab": {"nw": 836, "cw": 795, "bw": 685}}
RECORDED_2016: Final = {
    "op1": {"nw": 629, "cw": 594, "bw": 491}, "op2": {"nw": 1206, "cw": 1141, "bw": 942},
    "op3_cd": {"nw": 1711, "cw": 1618, "bw": 1337},
    "op3_ab": {"nw": 701, "cw": 663, "bw": 547}}
# How much a State of each regional group records, relative to the others, each year.
WEIGHTS_2016: Final = {"AFR": 0.62, "APG": 0.85, "EEG": 1.08, "GRULAC": 0.88, "WEOG": 1.32}
WEIGHTS_2020: Final = {"AFR": 0.80, "APG": 0.92, "EEG": 1.12, "GRULAC": 1.0, "WEOG": 1.3}

SENT_2015: Final = date(2015, 10, 1)
APPROVED_2016: Final = date(2016, 1, 11)  # to 10 April 2016, before the period starts
SENT_2020: Final = date(2020, 6, 1)
APPROVED_2020: Final = date(2020, 12, 1)  # to 14 December 2020
PUBLISHED_2020: Final = date(2020, 12, 18)
AFTER_PERIOD: Final = date(2022, 4, 16)  # the day after the paper's period ends
LATE_STATE, DRAFT_STATE = "NOR", "PER"  # the two versions outside the rules


def spread(total: int, cap: int, weights: Sequence[float]) -> list[int]:
    """`total` measures over the States in proportion to their weights, none above `cap`,
    rounded so that they add up to `total` exactly (largest remainders first)."""
    shares = [0.0] * len(weights)
    free = list(range(len(weights)))
    left = float(total)
    while free and left > 1e-9:
        weight = sum(weights[i] for i in free)
        capped = [i for i in free if shares[i] + left * weights[i] / weight >= cap]
        if not capped:
            for i in free:
                shares[i] += left * weights[i] / weight
            break
        for i in capped:
            left -= cap - shares[i]
            shares[i] = cap
        free = [i for i in free if i not in capped]
    counts = [int(share) for share in shares]
    order = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[:total - sum(counts)]:
        counts[i] += 1
    return counts


def _weights(states: Sequence[Party], by_group: Mapping[str, float]) -> list[float]:
    # a little spread inside each group, the same every time
    return [by_group.get(state.electoral_group or "", 1.0) * (0.8 + 0.4 * ((i * 7) % 10) / 9)
            for i, state in enumerate(states)]


def _cells(states: Sequence[Party], recorded: Mapping[str, Mapping[str, int]],
           by_group: Mapping[str, float]) -> list[tuple[Cell, ...]]:
    weights = _weights(states, by_group)
    columns = {(section, category): spread(recorded[section][category], POSSIBLE[section],
                                           weights)
               for section, category in CELLS}
    return [tuple(Cell(section, category, columns[(section, category)][i], POSSIBLE[section])
                  for section, category in CELLS) for i in range(len(states))]


def _outside(session: Session, state: Party, now: datetime) -> None:
    """A third version of two States, every measure recorded, that no figure counts."""
    full = tuple(Cell(section, category, POSSIBLE[section], POSSIBLE[section])
                 for section, category in CELLS)
    approved = state.code == LATE_STATE
    fields = VersionFields(
        CURRENT_TEMPLATE, date(2022, 2, 14) if approved else date(2021, 11, 2),
        AFTER_PERIOD if approved else None, AFTER_PERIOD + timedelta(days=6) if approved
        else None, full)
    versions.save(session=session, party=state, number=3, fields=fields,
                  actor=ACTOR, now=now)


def load_invented_matrices(session: Session, now: datetime) -> None:
    """Two versions for each Member State, and the two outside the rules."""
    states = sorted(parties.states(session=session), key=lambda party: party.code)
    early = _cells(states, RECORDED_2016, WEIGHTS_2016)
    late = _cells(states, RECORDED_2020, WEIGHTS_2020)
    for i, state in enumerate(states):
        approved = APPROVED_2016 + timedelta(days=i % 90)
        first = VersionFields(PREVIOUS_TEMPLATE, SENT_2015 + timedelta(days=i % 60), approved,
                              approved + timedelta(days=7), early[i])
        second = VersionFields(CURRENT_TEMPLATE, SENT_2020 + timedelta(days=i % 90),
                               APPROVED_2020 + timedelta(days=i % 14), PUBLISHED_2020, late[i])
        for number, fields in ((1, first), (2, second)):
            versions.save(session=session, party=state, number=number, fields=fields,
                          actor=ACTOR, now=now)
        if state.code in (LATE_STATE, DRAFT_STATE):
            _outside(session, state, now)
