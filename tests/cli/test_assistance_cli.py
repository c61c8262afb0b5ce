"""`outreach assistance` and `outreach providers`: staff record requests, move them along the
Committee's procedure, register providers and record matches; a refusal says why and
writes nothing."""

import json
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from storage import audit
from storage.assistance import feedback, requests
from storage.assistance.model import AssistanceRequest
from storage.assistance.requests import Need, RequestFields
from storage.parties import Party
from tests.support.cli import Invoke
from tests.support.outbox import NOW

ADD = ("assistance", "add", "KEN", "--received", "2019-03-04", "--channel", "template",
       "--need", "op3_cd/chemical", "--need", "training", "--reference", "NV/2019/12",
       "--summary", "Border controls", "--consent")


def stored(session: Session, request_id: int = 1) -> AssistanceRequest:
    session.expire_all()
    found = session.get(AssistanceRequest, request_id)
    assert found is not None
    return found


def opened(outreach: Invoke) -> None:
    """Request 1 (KEN), open to providers since 2019-04-02."""
    assert outreach(*ADD).exit_code == 0
    outreach("assistance", "step", "1", "circulated", "--on", "2019-03-20")
    outreach("assistance", "step", "1", "open", "--on", "2019-04-02")


def test_staff_add_a_request_and_list_it(outreach: Invoke, session: Session) -> None:
    result = outreach(*ADD)
    assert result.exit_code == 0, result.output
    assert "Assistance request 1 recorded for KEN." in result.output
    rows = json.loads(outreach("assistance", "list", "--format", "json").output)
    assert [(row["state"], row["needs"], row["status"]) for row in rows] == [
        ("KEN", "op3_cd/chemical; training", "received")]
    assert json.loads(outreach("assistance", "list", "--area", "op2", "--format",
                               "json").output) == []
    assert len(json.loads(outreach("assistance", "list", "--state", "Kenya", "--format",
                                   "json").output)) == 1
    unknown = outreach("assistance", "list", "--area", "cooking")
    assert unknown.exit_code == 1
    assert 'Unknown assistance area "cooking"' in unknown.stderr
    entries = audit.entries(session=session, entity="assistance_request", entity_id="1")
    assert [(entry.action, entry.actor) for entry in entries] == [("create", "cli:test-staff")]


def test_a_request_from_an_organisation_or_for_an_unknown_area_is_refused(
    outreach: Invoke, session: Session
) -> None:
    from_org = outreach("assistance", "add", "IAEA", "--received", "2019-03-04",
                        "--channel", "template", "--need", "training")
    assert from_org.exit_code == 1
    assert '"IAEA" is an organisation' in from_org.stderr
    unknown = outreach("assistance", "add", "KEN", "--received", "2019-03-04", "--channel",
                       "template", "--need", "trainings")
    assert 'Unknown assistance area "trainings"' in unknown.stderr
    early = outreach("assistance", "add", "KEN", "--received", "2003-01-01", "--channel",
                     "template", "--need", "training")
    assert "before resolution 1540 was adopted" in early.stderr
    assert session.exec(select(AssistanceRequest)).first() is None


def test_edit_changes_only_what_is_given_and_keeps_the_needs_details(
    outreach: Invoke, session: Session
) -> None:
    kenya = session.exec(select(Party).where(Party.code == "KEN")).one()
    requests.add(session=session, party=kenya, fields=RequestFields(
        received_on=date(2019, 3, 4), channel="template",
        needs=(Need("training", None, "Customs officers"),)), actor="ana", now=NOW)
    session.commit()
    result = outreach("assistance", "edit", "1", "--summary", "Training of customs",
                      "--need", "training", "--need", "funding")
    assert "Assistance request 1 updated." in result.output
    assert stored(session).summary == "Training of customs"
    assert stored(session).channel == "template"
    needs = requests.needs_of(session=session, request_id=1)
    assert [(need.area, need.detail) for need in needs] == [
        ("training", "Customs officers"), ("funding", "")]
    again = outreach("assistance", "edit", "1", "--summary", "Training of customs")
    assert "already has these values" in again.output


def test_consent_cannot_be_taken_back_once_published(outreach: Invoke, session: Session) -> None:
    opened(outreach)
    assert "published on the website on 2019-04-03" in outreach(
        "assistance", "publish", "1", "--on", "2019-04-03").output
    refused = outreach("assistance", "edit", "1", "--no-consent")
    assert refused.exit_code == 1
    assert "is published on the website" in refused.stderr
    assert stored(session).consent_to_publish


def test_steps_move_forward_only(outreach: Invoke, session: Session) -> None:
    outreach(*ADD)
    moved = outreach("assistance", "step", "1", "circulated", "--on", "2019-03-20",
                     "--note", "to the Committee")
    assert 'Assistance request 1 is now "circulated" (since 2019-03-20).' in moved.output
    back = outreach("assistance", "step", "1", "received", "--on", "2019-03-21")
    assert back.exit_code == 1
    assert 'is "circulated" and cannot move to "received"' in back.stderr
    early = outreach("assistance", "step", "1", "open", "--on", "2019-03-10")
    assert "cannot be dated 2019-03-10, earlier" in early.stderr
    assert stored(session).status == "circulated"


def test_publish_takes_a_request_and_its_day_or_a_folder_not_both(
    outreach: Invoke, session: Session, tmp_path: Path
) -> None:
    opened(outreach)
    for args in (("1",), ("--on", "2019-04-03"),
                 ("1", "--on", "2019-04-03", "--out", str(tmp_path / "site"))):
        refused = outreach("assistance", "publish", *args)
        assert refused.exit_code == 2
        assert "Give either a request and its day" in refused.stderr
    assert stored(session).published_on is None
    assert not (tmp_path / "site").exists()


def test_publishing_needs_consent(outreach: Invoke, session: Session) -> None:
    outreach("assistance", "add", "KEN", "--received", "2019-03-04", "--channel", "template",
             "--need", "training", "--no-consent")
    outreach("assistance", "step", "1", "open", "--on", "2019-04-02")
    refused = outreach("assistance", "publish", "1", "--on", "2019-04-03")
    assert refused.exit_code == 1
    assert "the State did not consent" in refused.stderr
    assert stored(session).published_on is None


def test_maintaining_and_closing(outreach: Invoke, session: Session) -> None:
    opened(outreach)
    kept = outreach("assistance", "maintain", "1", "--on", "2021-01-05")
    assert "keeps it in force (said on 2021-01-05)" in kept.output
    too_soon = outreach("assistance", "close", "1", "met", "--on", "2021-02-01")
    assert too_soon.exit_code == 1
    assert 'cannot move to "met"' in too_soon.stderr
    closed = outreach("assistance", "close", "1", "lapsed", "--on", "2021-02-01")
    assert '"lapsed" (since 2021-02-01)' in closed.output
    assert stored(session).closed_on == date(2021, 2, 1)
    late = outreach("assistance", "maintain", "1", "--on", "2021-03-01")
    assert late.exit_code == 1
    assert 'Request 1 is closed ("lapsed")' in late.stderr


def test_staff_confirm_a_request_a_poc_filed(outreach: Invoke, session: Session) -> None:
    kenya = session.exec(select(Party).where(Party.code == "KEN")).one()
    requests.add(session=session, party=kenya, fields=RequestFields(
        received_on=date(2019, 3, 4), channel="telegram", needs=(Need("training"),)),
        actor="telegram:1", now=NOW, confirmed=False)
    session.commit()
    assert "awaiting staff confirmation" in outreach("assistance", "show", "1").output
    assert "confirmed; it now counts" in outreach("assistance", "confirm", "1").output
    assert stored(session).confirmed_at is not None
    assert "was already confirmed" in outreach("assistance", "confirm", "1").output
    missing = outreach("assistance", "confirm", "9")
    assert missing.exit_code == 1
    assert "No assistance request with id 9" in missing.stderr


def test_a_match_to_a_provider_not_covering_an_area_needs_an_override(
    outreach: Invoke, session: Session
) -> None:
    opened(outreach)
    registered = outreach("providers", "add", "UNODA", "--area", "training", "--since",
                          "2017-01-01")
    assert "UNODA is registered as an assistance provider covering training." in (
        registered.output)
    warned = outreach("assistance", "match", "1", "UNODA", "--on", "2019-06-01")
    assert warned.exit_code == 1
    assert "does not cover op3_cd, needed by request 1" in warned.stderr
    assert "with --override" in warned.stderr
    assert stored(session).status == "open"
    matched = outreach("assistance", "match", "1", "UNODA", "--on", "2019-06-01",
                       "--override")
    assert "matched with UNODA on 2019-06-01 (override: the provider does not cover op3_cd)" \
        in matched.output
    assert stored(session).status == "matched"
    stranger = outreach("assistance", "match", "1", "OPCW", "--on", "2019-06-01")
    assert "OPCW is not registered as an assistance provider" in stranger.stderr


def test_show_gives_needs_steps_with_days_waited_and_offers(outreach: Invoke) -> None:
    opened(outreach)
    outreach("providers", "add", "OPCW", "--area", "op3_cd", "--area", "training",
             "--since", "2016-01-01")
    outreach("assistance", "match", "1", "OPCW", "--on", "2019-06-01")
    outreach("assistance", "step", "1", "in_progress", "--on", "2019-07-01")
    outreach("assistance", "close", "1", "met", "--on", "2020-07-01")
    shown = outreach("assistance", "show", "1").output
    assert "Assistance request 1: Kenya (KEN)" in shown
    assert "op3_cd (chemical)" in shown
    assert "2019-03-04  received     16 days" in shown
    assert "2019-04-02  open         60 days" in shown
    assert "2019-07-01  in_progress  366 days" in shown
    assert "2020-07-01  met          closed" in shown
    assert "OPCW (Organisation for the Prohibition of Chemical Weapons): offered 2019-06-01," \
           " matched on 2019-06-01" in shown
    assert "answers to the follow-up" not in shown
    assert outreach("assistance", "show", "7").exit_code == 1


def test_show_gives_the_states_answers_to_the_follow_up(outreach: Invoke,
                                                      session: Session) -> None:
    opened(outreach)
    feedback.record(session=session, request_id=1, poc_id=None, answer="partly_met",
                    channel="staff", actor="cli:test-staff", now=NOW)
    session.commit()
    shown = outreach("assistance", "show", "1").output
    assert "The State's answers to the follow-up:" in shown
    assert f"{NOW.date()}  partly_met (recorded by staff)" in shown


def test_providers_are_listed_and_withdraw(outreach: Invoke) -> None:
    outreach("providers", "add", "FRA", "--area", "equipment", "--since", "2016-05-01")
    outreach("providers", "add", "UNODA", "--area", "training", "--since", "2017-01-01")
    rows = json.loads(outreach("providers", "list", "--format", "json").output)
    assert [(row["party"], row["areas"]) for row in rows] == [
        ("UNODA", "training (since 2017-01-01)"), ("FRA", "equipment (since 2016-05-01)")]
    left = outreach("providers", "withdraw", "FRA", "--on", "2020-01-01")
    assert "FRA withdrew as an assistance provider on 2020-01-01" in left.output
    rows = json.loads(outreach("providers", "list", "--format", "json").output)
    assert {row["party"]: row["withdrawn_on"] for row in rows} == {
        "UNODA": None, "FRA": "2020-01-01"}
    bad_area = outreach("providers", "add", "KEN", "--area", "cooking", "--since",
                        "2017-01-01")
    assert 'Unknown assistance area "cooking"' in bad_area.stderr
    not_one = outreach("providers", "withdraw", "KEN", "--on", "2020-01-01")
    assert not_one.exit_code == 1
    assert "KEN is not registered as an assistance provider" in not_one.stderr


def test_an_offer_is_recorded_once_and_shown(outreach: Invoke) -> None:
    opened(outreach)
    outreach("providers", "add", "OPCW", "--area", "op3_cd", "--since", "2016-01-01")
    offered = outreach("assistance", "offer", "1", "OPCW", "--on", "2019-05-01",
                       "--detail", "Customs training")
    assert offered.exit_code == 0, offered.stderr
    assert "Recorded OPCW's offer of help against assistance request 1 on 2019-05-01." in (
        offered.output)
    again = outreach("assistance", "offer", "1", "OPCW", "--on", "2019-05-02")
    assert again.exit_code == 1
    assert "OPCW" in outreach("assistance", "show", "1").output
    stranger = outreach("assistance", "offer", "1", "IAEA", "--on", "2019-05-01")
    assert "IAEA is not registered as an assistance provider" in stranger.stderr
