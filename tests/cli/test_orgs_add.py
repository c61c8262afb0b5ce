"""`outreach orgs add`: staff add an organisation the reference data does not list; it stays
through every reload of the reference data, and an acronym or name already used is refused."""

import json

from sqlmodel import Session, col, select

from storage import audit
from storage.parties import Party
from storage.reference_data import load_reference_data
from tests.support.cli import Invoke
from tests.support.outbox import NOW

ADD = ("orgs", "add", "IOT", "Invented Organisation of Tests", "--scope", "sub_regional")


def acronyms(outreach: Invoke) -> dict[str, dict[str, object]]:
    return {row["acronym"]: row
            for row in json.loads(outreach("orgs", "--format", "json").output)}


def test_a_new_organisation_is_listed_audited_and_survives_a_reference_reload(
    outreach: Invoke, session: Session
) -> None:
    result = outreach(*ADD)
    assert result.exit_code == 0, result.output
    assert "Organisation IOT (Invented Organisation of Tests, sub_regional) added." in (
        result.output)
    assert acronyms(outreach)["IOT"]["scope"] == "sub_regional"
    entries = audit.entries(session=session, entity="party", entity_id="IOT")
    assert [(entry.action, entry.actor) for entry in entries] == [("create", "cli:test-staff")]
    load_reference_data(session=session, now=NOW)
    session.commit()
    assert outreach("init").exit_code == 0
    assert acronyms(outreach)["IOT"]["name"] == "Invented Organisation of Tests"
    registered = outreach("providers", "add", "IOT", "--area", "training", "--since",
                          "2020-01-01")
    assert registered.exit_code == 0, registered.output


def test_an_acronym_or_name_already_used_is_refused(outreach: Invoke, session: Session) -> None:
    assert outreach(*ADD).exit_code == 0  # on PostgreSQL too: no spec's organisation stays
    twice = outreach("orgs", "add", "iot", "Another Invented Body", "--scope", "regional")
    assert twice.exit_code == 1
    assert '"iot" is already used by IOT (Invented Organisation of Tests)' in twice.stderr
    state = outreach("orgs", "add", "KEN", "Kenyan Invented Body", "--scope", "regional")
    assert '"KEN" is already used by KEN (Kenya)' in state.stderr
    name = outreach("orgs", "add", "IAEA2", "International Atomic Energy Agency", "--scope",
                    "international")
    assert "is already used by IAEA" in name.stderr
    assert session.exec(select(Party).where(col(Party.code).in_(["iot", "IAEA2"]))).first() \
        is None


def test_an_acronym_too_long_for_its_column_or_a_bad_scope_is_refused(
    outreach: Invoke, session: Session
) -> None:
    long = outreach("orgs", "add", "A" * 21, "Invented Long Acronym Body", "--scope",
                    "regional")
    assert long.exit_code == 1
    assert "The acronym must be printable text on one line, at most 20 characters" in (
        long.stderr)
    fits = outreach("orgs", "add", "A" * 20, "N" * 200, "--scope", "regional")
    assert fits.exit_code == 0, fits.output
    too_long_name = outreach("orgs", "add", "B" * 20, "N" * 201, "--scope", "regional")
    assert "The name must be printable text" in too_long_name.stderr
    scope = outreach("orgs", "add", "XYZ", "Invented Scope Body", "--scope", "global")
    assert scope.exit_code == 2
    assert session.exec(select(Party).where(Party.code == "XYZ")).first() is None
