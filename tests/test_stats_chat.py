"""Staff ask for the figures in the chat: /stats answers in the paper's words, with a chart.

The real PTB Application against the fake Bot API, on the invented paper data; both backends.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.staff_bot import say
from bot.stats_chat import stats_say
from storage.staff import StaffRole, grant
from tests.fake_bot_api import FakeBotApi
from tests.outbox_helpers import NOW
from tests.paper_data import PAPER_FROM, PAPER_TO, load_paper_data
from tests.test_staff_bot import STAFF, STRANGER, staff_bot, write


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(poll_cap=0.3) as fake:
        yield fake


@pytest.fixture
def paper_registry(session: Session, tmp_path: Path) -> None:
    grant(session=session, telegram_user_id=STAFF, role=StaffRole.STAFF, actor="test", now=NOW)
    load_paper_data(session, tmp_path / "paper")


async def test_stats_tells_the_papers_outreach_figures(
    api: FakeBotApi, engine: Engine, paper_registry: None
) -> None:
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, f"/stats {PAPER_FROM} {PAPER_TO}")
    assert answer.parse_mode == "HTML"
    text = answer.text
    assert text.startswith("From 26 April 2016 to 15 April 2022 the Committee and its experts"
                           " participated in <b>249</b> outreach events.")
    assert "Approximately <b>82 %</b> of these events were organised" in text
    assert "<b>144</b> outreach events to States and civil society" in text
    assert ("<b>104</b> included outreach to States; <b>15</b> to academia; <b>17</b> to"
            " industry and <b>10</b> to parliamentarians") in text
    assert "Visits to States: <b>17</b> (to 16 States)" in text


async def test_boundary_days_count_and_the_days_beside_them_do_not(
    api: FakeBotApi, engine: Engine, paper_registry: None
) -> None:
    async with staff_bot(api, engine):
        first = await write(api, STAFF, f"/stats {PAPER_FROM} {PAPER_FROM}")
        last = await write(api, STAFF, f"/stats {PAPER_TO} {PAPER_TO}")
        before = await write(api, STAFF, "/stats 2016-04-25 2016-04-25")
        after = await write(api, STAFF, "/stats 2022-04-16 2022-04-16")
        both = await write(api, STAFF, "/stats 2016-04-25 2022-04-16")
    assert "participated in <b>1</b> outreach event." in first.text
    assert "participated in <b>1</b> outreach event." in last.text
    assert "participated in <b>1</b> outreach event." in before.text
    assert "participated in <b>1</b> outreach event." in after.text
    assert "participated in <b>251</b> outreach events." in both.text


async def test_without_dates_it_counts_the_current_review_period(
    api: FakeBotApi, engine: Engine, paper_registry: None
) -> None:
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, "/stats")
        one_date = await write(api, STAFF, "/stats 2022-04-16")
    # the review period after the paper's: from 16 April 2022 to today (the test's clock)
    assert answer.text.startswith("From 16 April 2022 to 27 November 2026 the Committee")
    assert "participated in <b>1</b> outreach event." in answer.text
    assert one_date.text == answer.text


@pytest.mark.parametrize("line", [
    "/stats 2022-04-15 2016-04-26", "/stats 26/04/2016", "/stats 2016-02-30",
    "/stats 2016-04-26 2022-04-15 2023-01-01", "/stats <b>now</b>"])
async def test_bad_dates_get_the_usage_hint(
    api: FakeBotApi, engine: Engine, paper_registry: None, line: str
) -> None:
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, line)
    assert answer.text == stats_say("stats_usage")
    assert "<code>/stats 2016-04-26 2022-04-15</code>" in answer.text


async def test_outsiders_get_the_refusal_and_no_figures(
    api: FakeBotApi, engine: Engine, paper_registry: None
) -> None:
    async with staff_bot(api, engine):
        stats = await write(api, STRANGER, f"/stats {PAPER_FROM} {PAPER_TO}")
        report = await write(api, STRANGER, "/report")
    assert stats.text == report.text == say("refused")
