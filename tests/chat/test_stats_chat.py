"""Staff ask for the figures in the chat: /stats answers in the paper's words, with a chart.

The real PTB Application against the fake Bot API, on the invented paper data; both backends.
"""

import csv
import io
import re

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.chat.stats import say as stats_say
from tests.support.chat import staff_bot, until, write
from tests.support.chat import staff_say as say
from tests.support.fake_bot_api import FakeBotApi
from tests.support.paper_data import PAPER_FROM, PAPER_TO, load_paper_events
from tests.support.personas import STAFF, STRANGER


@pytest.fixture
def paper_registry(session: Session, staff: None) -> None:
    load_paper_events(session)


async def test_stats_tells_the_papers_outreach_figures(
    api: FakeBotApi, engine: Engine, paper_registry: None
) -> None:
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, f"/stats {PAPER_FROM} {PAPER_TO}")
    assert answer.parse_mode == "HTML"
    text = answer.text
    assert text.startswith("From 26 April 2016 to 15 April 2022 the Committee and its experts"
                           " participated in <b>249</b> outreach events.")
    assert "Approximately <b>82%</b> of these events were organised" in text
    assert "<b>144</b> outreach events to States and civil society" in text
    assert ("<b>104</b> included outreach to States; <b>15</b> to academia; <b>17</b> to"
            " industry and <b>10</b> to parliamentarians") in text
    assert "Visits to States: <b>17</b> (to 16 States)" in text
    assert ("Assistance: <b>38</b> requests received from 35 States (1 more kept an earlier"
            " request in force).") in text
    assert ("Published on the website: <b>20</b> requests from 18 States. Organisations"
            " registered as providers: <b>16</b>, of which 6 responded to 20 requests.") in text
    await until(lambda: len(api.uploads_to(STAFF)) == 1)
    [chart] = api.uploads_to(STAFF)
    assert chart.method == "sendPhoto"
    assert chart.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(chart.content) > 10_000
    assert chart.caption == ("Outreach events by audience and by year, 2016-04-26 to"
                             " 2022-04-15.")


async def test_report_sends_the_page_and_the_csv_of_the_same_figures(
    api: FakeBotApi, engine: Engine, paper_registry: None
) -> None:
    async with staff_bot(api, engine):
        api.send_text(chat_id=STAFF, user_id=STAFF, text=f"/report {PAPER_FROM} {PAPER_TO}")
        await until(lambda: len(api.uploads_to(STAFF)) == 2)
    page, table = api.uploads_to(STAFF)
    assert [page.method, table.method] == ["sendDocument", "sendDocument"]
    assert page.filename == "transparency-2016-04-26-2022-04-15.html"
    assert table.filename == "transparency-2016-04-26-2022-04-15.csv"
    assert page.caption is not None and "2016-04-26 to 2022-04-15" in page.caption
    html = page.content.decode("utf-8")

    def on_page(figure: str) -> str:
        found = re.search(rf'data-figure="{re.escape(figure)}">.*?<td[^>]*>([^<]*)</td>', html)
        assert found, figure
        return found.group(1)

    rows = {(r["section"], r["figure"]): r["value"]
            for r in csv.DictReader(io.StringIO(table.content.decode("utf-8")))}
    for section, figure, value in (
        ("outreach", "events", "249"),
        ("outreach", "events_with_organisations.percent", "82"),
        ("outreach", "events_states_and_civil_society", "144"),
        ("outreach", "by_audience.states", "104"), ("outreach", "by_audience.academia", "15"),
        ("outreach", "by_audience.industry", "17"),
        ("outreach", "by_audience.parliamentarians", "10"),
    ):
        assert rows[(section, figure)] == value
        assert on_page(f"{section}.{figure}") == value
    assert api.messages_to(STAFF) == []  # the documents are the answer


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


BAD_LINES = ("/stats 2022-04-15 2016-04-26", "/stats 26/04/2016", "/stats 2016-02-30",
             "/stats 2016-04-26 2022-04-15 2023-01-01", "/stats <b>now</b>")


async def test_bad_dates_get_the_usage_hint(api: FakeBotApi, engine: Engine, staff: None
                                            ) -> None:
    async with staff_bot(api, engine):
        answers = [await write(api, STAFF, line) for line in BAD_LINES]
        report = await write(api, STAFF, "/report 2016-04-26 yesterday")
    assert {answer.text for answer in answers} == {stats_say("stats_usage")}
    assert "<code>/stats 2016-04-26 2022-04-15</code>" in answers[0].text
    assert report.text == stats_say("report_usage")
    assert api.uploads == []


async def test_outsiders_get_the_refusal_and_no_figures(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with staff_bot(api, engine):
        stats = await write(api, STRANGER, f"/stats {PAPER_FROM} {PAPER_TO}")
        report = await write(api, STRANGER, "/report")
    assert stats.text == report.text == say("refused")
    assert api.uploads == []


async def test_a_period_without_events_gets_the_sentence_and_no_empty_chart(
    api: FakeBotApi, engine: Engine, staff: None
) -> None:
    async with staff_bot(api, engine):
        answer = await write(api, STAFF, f"/stats {PAPER_FROM} {PAPER_TO}")
    assert "participated in <b>0</b> outreach events." in answer.text
    assert "Approximately" not in answer.text
    assert api.uploads == []
