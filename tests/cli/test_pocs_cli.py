"""Adding, editing and deactivating Points of Contact from the command line."""

import json

from sqlmodel import Session, col, select

from storage.audit import AuditEntry
from storage.pocs import PointOfContact
from tests.support.cli import Invoke


def add_claire(outreach: Invoke) -> None:
    result = outreach("pocs", "add", "--party", "France", "--name", "Claire Martin-Test",
                      "--email", "claire@example.org", "--email", "desk@example.org",
                      "--language", "fr", "--phone", "+33 1 55 55 01 01",
                      "--telegram", "t.me/claire_test", "--title", "Counsellor")
    assert result.exit_code == 0, result.output
    assert "Point of Contact 1 added for FRA" in result.output


def test_a_staff_member_adds_a_poc_with_defaults_from_the_country(outreach: Invoke) -> None:
    add_claire(outreach)
    [poc] = json.loads(outreach("pocs", "--format", "json").output)
    assert poc["party"] == "FRA"
    assert poc["role"] == "national"
    assert poc["timezone"] == "Europe/Paris"
    assert poc["emails"] == ["claire@example.org", "desk@example.org"]
    assert poc["telegram"] == "@claire_test"
    assert poc["status"] == "active"


def test_the_json_listing_has_the_documented_stable_keys(outreach: Invoke) -> None:
    add_claire(outreach)
    [poc] = json.loads(outreach("pocs", "--format", "json").output)
    assert list(poc) == ["id", "party", "party_name", "role", "full_name", "title", "agency",
                         "emails", "phone", "telegram", "language", "timezone", "status",
                         "date_notified", "date_verified", "region"]


def test_adding_with_bad_values_explains_and_adds_nothing(
    outreach: Invoke, session: Session
) -> None:
    result = outreach("pocs", "add", "--party", "Atlantis", "--name", "Nemo Test",
                      "--email", "nemo@", "--language", "xx")
    assert result.exit_code == 1
    assert 'unknown State or organisation "Atlantis"' in result.stderr
    assert 'invalid e-mail address "nemo@"' in result.stderr
    assert 'unknown language "xx"' in result.stderr
    assert session.exec(select(PointOfContact)).first() is None


def test_the_same_first_address_for_the_same_party_is_refused(outreach: Invoke) -> None:
    add_claire(outreach)
    again = outreach("pocs", "add", "--party", "FRA", "--name", "Claire Again-Test",
                     "--email", "CLAIRE@example.org")
    assert again.exit_code == 1
    assert "already has that first e-mail address" in again.stderr


def test_editing_changes_only_the_fields_given_and_is_audited(
    outreach: Invoke, session: Session
) -> None:
    add_claire(outreach)
    result = outreach("pocs", "edit", "1", "--title", "Minister-Counsellor",
                      "--timezone", "America/New_York")
    assert result.exit_code == 0, result.output
    assert "Point of Contact 1 updated" in result.output
    [poc] = json.loads(outreach("pocs", "--format", "json").output)
    assert poc["title"] == "Minister-Counsellor"
    assert poc["timezone"] == "America/New_York"
    assert poc["phone"] == "+33 1 55 55 01 01"
    assert poc["emails"] == ["claire@example.org", "desk@example.org"]
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert entry.actor == "cli:test-staff"
    assert entry.before and entry.after
    assert entry.before["timezone"] == "Europe/Paris"
    assert entry.after["timezone"] == "America/New_York"
    unchanged = outreach("pocs", "edit", "1", "--title", "Minister-Counsellor")
    assert "already has these values" in unchanged.output


def test_deactivating_keeps_the_poc_and_its_history(outreach: Invoke, session: Session) -> None:
    add_claire(outreach)
    assert "deactivated" in outreach("pocs", "deactivate", "1").output
    assert json.loads(outreach("pocs", "--format", "json").output) == []
    [kept] = json.loads(outreach("pocs", "--all", "--format", "json").output)
    assert kept["status"] == "inactive"
    assert "already inactive" in outreach("pocs", "deactivate", "1").output
    actions = [e.action for e in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))]
    assert actions == ["create", "deactivate"]
    outreach("pocs", "activate", "1")
    assert len(json.loads(outreach("pocs", "--format", "json").output)) == 1


def test_editing_an_unknown_poc_says_so(outreach: Invoke) -> None:
    result = outreach("pocs", "edit", "42", "--title", "X")
    assert result.exit_code == 1
    assert "No Point of Contact with id 42" in result.stderr


def test_listing_by_party_accepts_names_and_offers_suggestions(outreach: Invoke) -> None:
    add_claire(outreach)
    assert "Claire Martin-Test" in outreach("pocs", "--party", "france", "--format", "csv").output
    unknown = outreach("pocs", "--party", "Turkey")
    assert unknown.exit_code == 1
    assert "did you mean TUR (Türkiye)?" in unknown.stderr
