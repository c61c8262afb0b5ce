"""`outreach deliveries` never hides rows silently: it pages (--limit, --offset) and says how
many more there are."""

import json

from sqlmodel import Session

from storage import outbox
from tests.support.cli import Invoke
from tests.support.outbox import NOW, email_only, invent_pocs

MESSAGES = 104  # x 5 PoCs: 520 deliveries, more than one default page


def many_deliveries(session: Session) -> None:
    recipients = email_only(invent_pocs(session, 5))
    for number in range(MESSAGES):
        outbox.enqueue(session=session, kind="one_off", template="contact_check", context={},
                       audience=f"test {number}", recipients=recipients, created_by="test",
                       now=NOW)
    session.commit()


def ids(output: str) -> list[int]:
    return [row["id"] for row in json.loads(output)]


def test_the_default_page_says_how_many_more_there_are(outreach: Invoke,
                                                       session: Session) -> None:
    many_deliveries(session)

    result = outreach("deliveries", "--format", "json")

    assert result.exit_code == 0, result.output
    assert ids(result.stdout) == list(range(1, 501))
    assert "Deliveries 1-500 of 520: 20 more (--offset 500)." in result.stderr


def test_limit_and_offset_page_through_the_ledger(outreach: Invoke, session: Session) -> None:
    many_deliveries(session)

    middle = outreach("deliveries", "--format", "json", "--limit", "10", "--offset", "100")
    last = outreach("deliveries", "--format", "json", "--limit", "10", "--offset", "515")
    beyond = outreach("deliveries", "--format", "json", "--offset", "600")

    assert ids(middle.stdout) == list(range(101, 111))
    assert "Deliveries 101-110 of 520: 410 more (--offset 110)." in middle.stderr
    assert ids(last.stdout) == list(range(516, 521))
    assert last.stderr == ""
    assert ids(beyond.stdout) == []
    assert "No delivery from --offset 600: there are 520." in beyond.stderr


def test_the_count_follows_the_filters_and_the_table_says_it_too(outreach: Invoke,
                                                                 session: Session) -> None:
    many_deliveries(session)

    table = outreach("deliveries", "--message", "3", "--limit", "2")

    assert table.exit_code == 0, table.output
    assert len([line for line in table.stdout.splitlines() if " pending " in line]) == 2
    assert "Deliveries 1-2 of 5: 3 more (--offset 2)." in table.stderr
    whole = outreach("deliveries", "--message", "3", "--format", "csv")
    assert len(whole.stdout.splitlines()) == 1 + 5 and whole.stderr == ""


def test_a_page_size_below_one_or_a_negative_offset_is_refused(outreach: Invoke) -> None:
    for option, value in (("--limit", "0"), ("--offset", "-1")):
        refused = outreach("deliveries", option, value)
        assert refused.exit_code == 2
        assert f"Invalid value for '{option}'" in refused.stderr
