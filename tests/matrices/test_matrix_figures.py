"""The matrix figures (seed paper, section 4.3) on a day D and since a day S: which version
of each State counts, how the shares add up, and the edges of each rule."""

from datetime import date

from sqlmodel import Session

from storage.figures.matrices import matrix_figures
from storage.figures.statistics import Period
from storage.matrices.versions import CELLS, Cell
from tests.matrices.support import version

START, END = date(2016, 4, 26), date(2022, 4, 15)
PERIOD = Period(START, END)


def test_each_state_counts_with_its_latest_version_approved_by_the_day(
    session: Session,
) -> None:
    version(session, "KEN", 1, date(2015, 1, 1), approved=date(2016, 1, 1), recorded=2)
    version(session, "KEN", 2, date(2020, 1, 1), approved=END, recorded=6)  # on D: counts
    version(session, "PER", 1, date(2015, 1, 1), approved=date(2016, 1, 1), recorded=4)
    version(session, "PER", 2, date(2022, 1, 1), approved=date(2022, 4, 16),
            recorded=10)  # the day after D: not yet
    version(session, "FJI", 1, date(2021, 1, 1), recorded=10)  # sent, never approved
    session.commit()
    figures = matrix_figures(session=session, period=PERIOD, since=START)
    assert figures.now.states == 2
    assert (figures.now.overall.recorded, figures.now.overall.possible) == (
        12 * 6 + 12 * 4, 24 * 10)
    assert figures.now.overall.percent == 50
    assert figures.then.overall.percent == 30
    assert figures.change == 20
    assert (figures.approved, figures.published) == (1, 0)


def test_the_change_is_counted_from_the_day_s_itself(session: Session) -> None:
    version(session, "KEN", 1, date(2015, 1, 1), approved=START, recorded=2)  # on S: counts
    version(session, "PER", 1, date(2015, 1, 1), approved=date(2016, 4, 27),
            recorded=8)  # the day after S: only at D
    session.commit()
    figures = matrix_figures(session=session, period=PERIOD, since=START)
    assert (figures.then.states, figures.then.overall.percent) == (1, 20)
    assert (figures.now.states, figures.now.overall.percent) == (2, 50)
    assert figures.change == 30


def test_shares_by_section_and_category_add_up_the_same_measures(session: Session) -> None:
    given = tuple(Cell(section, category, {"op1": 9, "op2": 7, "op3_cd": 5, "op3_ab": 4}[
        section] - {"nw": 0, "cw": 1, "bw": 2}[category], 10) for section, category in CELLS)
    version(session, "KEN", 1, date(2020, 1, 1), approved=date(2020, 2, 1), given=given)
    session.commit()
    now = matrix_figures(session=session, period=PERIOD, since=START).now
    assert {k: s.percent for k, s in now.by_section.items()} == {
        "op1": 80, "op2": 60, "op3_cd": 40, "op3_ab": 30}
    assert {k: s.percent for k, s in now.by_category.items()} == {"nw": 63, "cw": 53, "bw": 43}
    assert now.overall.percent == 53


def test_regional_groups_are_the_electoral_ones_the_usa_with_weog(session: Session) -> None:
    version(session, "USA", 1, date(2015, 1, 1), approved=date(2016, 1, 1), recorded=5)
    version(session, "USA", 2, date(2020, 1, 1), approved=date(2020, 12, 1), recorded=8)
    version(session, "KEN", 1, date(2020, 1, 1), approved=date(2020, 12, 1), recorded=3)
    session.commit()
    figures = matrix_figures(session=session, period=PERIOD, since=START)
    assert figures.now.by_regional_group["WEOG"].percent == 80
    assert figures.then.by_regional_group["WEOG"].percent == 50
    assert figures.change_by_regional_group == {"AFR": 30, "APG": 0, "EEG": 0, "GRULAC": 0,
                                                "WEOG": 30}


def test_approved_and_published_count_inside_the_period_only(session: Session) -> None:
    version(session, "KEN", 1, date(2016, 1, 1), approved=date(2016, 4, 25),
            published=START)  # approved the day before, published the first day
    version(session, "PER", 1, date(2022, 1, 1), approved=END,
            published=date(2022, 4, 16))  # approved the last day, published the day after
    version(session, "FJI", 1, date(2016, 1, 1), approved=START, published=END)
    session.commit()
    figures = matrix_figures(session=session, period=PERIOD, since=START)
    assert (figures.approved, figures.published) == (2, 2)


def test_no_matrix_gives_zero_everywhere(session: Session) -> None:
    figures = matrix_figures(session=session, period=PERIOD, since=START)
    assert (figures.now.states, figures.now.overall.percent, figures.change) == (0, 0, 0)
    assert set(figures.now.by_regional_group) == {"AFR", "APG", "EEG", "GRULAC", "WEOG"}
