"""The Chair's message rules: four eyes, edits reset approval, cancel until the first
delivery leaves, English required, an audience of somebody."""

from datetime import timedelta

import pytest
from sqlmodel import Session

from storage import audit, chair, outbox
from storage.chair import ChairState
from storage.chair_audience import AudienceFilter
from storage.chair_release import release, release_due, status
from storage.outbox import DeliveryState
from tests.support.chair import APPROVER, DRAFTER, NOW, add_poc, draft


@pytest.fixture
def reachable_poc(session: Session) -> int:
    return add_poc(session, "FRA", "Claire Invented", email="claire@example.org")


def test_the_drafter_cannot_approve_their_own_message(session: Session,
                                                      reachable_poc: int) -> None:
    message_id = draft(session)
    with pytest.raises(chair.SelfApproval):
        chair.approve(session=session, message_id=message_id, actor=DRAFTER, now=NOW)
    assert chair.get(session=session, message_id=message_id).state == ChairState.DRAFT


def test_whoever_changed_any_part_of_it_cannot_approve_it_either(session: Session,
                                                                 reachable_poc: int) -> None:
    message_id = draft(session)
    chair.set_body(session=session, message_id=message_id, language="fr", actor=APPROVER,
                   now=NOW, subject="Message du Président", markdown="Chers collègues")
    with pytest.raises(chair.SelfApproval):
        chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    approved = chair.approve(session=session, message_id=message_id, actor="cli:third", now=NOW)
    assert approved.state == ChairState.APPROVED


def test_a_second_person_approves_and_is_recorded(session: Session, reachable_poc: int) -> None:
    message_id = draft(session)
    message = chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    assert (message.state, message.approved_by, message.approved_at) == (
        ChairState.APPROVED, APPROVER, NOW)
    entries = audit.entries(session=session, entity="chair_message", entity_id=str(message_id))
    assert [entry.action for entry in entries] == ["create", "set_body", "approve"]
    assert entries[-1].actor == APPROVER


@pytest.mark.parametrize("edit", ["body", "subject", "audience", "send_at", "remove_body"])
def test_any_edit_after_approval_sends_it_back_to_draft(session: Session, reachable_poc: int,
                                                        edit: str) -> None:
    message_id = draft(session, languages=("en", "fr"))
    approved = chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    seen_revision = approved.revision
    later = NOW + timedelta(minutes=5)
    if edit == "body":
        chair.set_body(session=session, message_id=message_id, language="en", actor=DRAFTER,
                       now=later, markdown="A changed text")
    elif edit == "subject":
        chair.set_body(session=session, message_id=message_id, language="en", actor=DRAFTER,
                       now=later, subject="A changed subject")
    elif edit == "audience":
        chair.set_audience(session=session, message_id=message_id, actor=DRAFTER, now=later,
                           audience=AudienceFilter(kinds=("state",)))
    elif edit == "send_at":
        chair.set_send_at(session=session, message_id=message_id, actor=DRAFTER, now=later,
                          send_at=NOW + timedelta(days=3))
    else:
        chair.remove_body(session=session, message_id=message_id, language="fr",
                          actor=DRAFTER, now=later)
    message = chair.get(session=session, message_id=message_id)
    assert (message.state, message.approved_by, message.approved_at) == (
        ChairState.DRAFT, None, None)
    assert message.revision == seen_revision + 1
    # an approval given on what was previewed before the edit is refused
    with pytest.raises(chair.StaleRevision):
        chair.approve(session=session, message_id=message_id, actor=APPROVER, now=later,
                      revision=seen_revision)
    assert release(session=session, message_id=message_id, actor="test", now=later) is None


def test_approval_without_an_english_body_or_subject_is_refused(session: Session,
                                                                reachable_poc: int) -> None:
    message_id = draft(session, languages=("fr",))
    with pytest.raises(chair.MissingEnglish):
        chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    chair.set_body(session=session, message_id=message_id, language="en", actor=DRAFTER,
                   now=NOW, markdown="Dear colleagues")
    with pytest.raises(chair.MissingEnglish):  # text, but no subject line
        chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    chair.set_body(session=session, message_id=message_id, language="en", actor=DRAFTER,
                   now=NOW, subject="Message of the Chair")
    assert chair.approve(session=session, message_id=message_id, actor=APPROVER,
                         now=NOW).state == ChairState.APPROVED


def test_a_half_written_translation_blocks_approval(session: Session,
                                                    reachable_poc: int) -> None:
    message_id = draft(session)
    chair.set_body(session=session, message_id=message_id, language="ar", actor=DRAFTER,
                   now=NOW, subject="رسالة الرئيس")
    with pytest.raises(chair.IncompleteBody) as refused:
        chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    assert refused.value.params["language"] == "ar"


def test_an_audience_of_nobody_cannot_be_approved(session: Session, reachable_poc: int) -> None:
    message_id = draft(session, audience=AudienceFilter(languages=("ru",)))
    with pytest.raises(chair.EmptyAudience):
        chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)


def test_unknown_language_is_refused_and_changes_nothing(session: Session) -> None:
    message_id = draft(session)
    with pytest.raises(chair.InvalidLanguage):
        chair.set_body(session=session, message_id=message_id, language="de", actor=DRAFTER,
                       now=NOW, markdown="Liebe Kollegen")
    assert list(chair.bodies(session=session, message_id=message_id)) == ["en"]
    assert chair.get(session=session, message_id=message_id).revision == 2


def test_a_draft_or_an_approved_message_can_be_cancelled(session: Session,
                                                         reachable_poc: int) -> None:
    message_id = draft(session)
    chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    cancelled = chair.cancel(session=session, message_id=message_id, actor=DRAFTER, now=NOW)
    assert cancelled.message.state == ChairState.CANCELLED
    assert cancelled.withdrawn_deliveries == 0
    assert release(session=session, message_id=message_id, actor="test", now=NOW) is None
    with pytest.raises(chair.NotEditable):
        chair.set_body(session=session, message_id=message_id, language="en", actor=DRAFTER,
                       now=NOW, markdown="too late")


def test_released_but_not_yet_sent_it_can_still_be_cancelled(session: Session,
                                                             reachable_poc: int) -> None:
    message_id = draft(session)
    chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    assert release(session=session, message_id=message_id, actor="test", now=NOW) is not None
    session.commit()
    cancelled = chair.cancel(session=session, message_id=message_id, actor=DRAFTER, now=NOW)
    session.commit()
    assert cancelled.withdrawn_deliveries == 1
    # nothing is left for a dispatcher to claim
    assert outbox.claim(session=session, owner="d", now=NOW + timedelta(hours=1), limit=10,
                        lease=timedelta(minutes=5)) == []
    # withdrawn, not failed: nobody can resend a cancelled message by mistake
    assert outbox.counts_by_state(session=session) == {}
    assert status(session=session, message_id=message_id).counts == {}
    [entry] = [e for e in chair.history(session=session, message_id=message_id)
               if e.action == "cancel"]
    assert entry.actor == DRAFTER and entry.after is not None
    assert entry.after["withdrawn_deliveries"] == 1


def test_cancel_is_refused_once_the_first_delivery_has_left(session: Session) -> None:
    add_poc(session, "FRA", "Claire Invented", email="claire@example.org")
    add_poc(session, "SEN", "Awa Invented", email="awa@example.org")
    message_id = draft(session)
    chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    release(session=session, message_id=message_id, actor="test", now=NOW)
    session.commit()
    first, *_ = outbox.claim(session=session, owner="d", now=NOW, limit=1,
                             lease=timedelta(minutes=5))
    assert outbox.mark_sending(session=session, delivery_id=first, owner="d", now=NOW,
                               lease=timedelta(minutes=5))
    with pytest.raises(chair.CancelRefused):
        chair.cancel(session=session, message_id=message_id, actor=DRAFTER, now=NOW)
    session.rollback()
    assert chair.get(session=session, message_id=message_id).state == ChairState.SENDING
    assert outbox.counts_by_state(session=session) == {
        DeliveryState.SENDING: 1, DeliveryState.PENDING: 1}


def test_it_is_not_released_before_its_send_time(session: Session, reachable_poc: int) -> None:
    send_at = NOW + timedelta(days=30)
    message_id = draft(session, send_at=send_at)
    chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    session.commit()
    assert release_due(session=session, actor="test", now=send_at - timedelta(seconds=1)) == []
    released = release_due(session=session, actor="test", now=send_at)
    assert [r.message_id for r in released] == [message_id]
    assert chair.get(session=session, message_id=message_id).released_at == send_at


def test_an_unapproved_draft_is_never_released(session: Session, reachable_poc: int) -> None:
    message_id = draft(session)
    assert release_due(session=session, actor="test", now=NOW + timedelta(days=400)) == []
    assert release(session=session, message_id=message_id, actor="test", now=NOW) is None
    assert outbox.counts_by_state(session=session) == {}


def test_a_missing_message_says_so(session: Session) -> None:
    with pytest.raises(chair.MessageNotFound):
        chair.approve(session=session, message_id=999, actor=APPROVER, now=NOW)
