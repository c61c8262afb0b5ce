"""Releasing a Chair's message: exactly once, to the right PoCs, by the channels they allow,
in their language or in English."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage import chair, outbox, pocs
from storage.chair_audience import AudienceFilter, InvalidAudience, validated
from storage.chair_release import release, release_due, retry_failed, settle, status
from storage.outbox import Channel, Delivery, DeliveryState, OutboxMessage
from tests.support.chair import APPROVER, DRAFTER, NOW, add_poc, draft


def deliveries(session: Session) -> set[tuple[int, str, str]]:
    """(PoC id, channel, body language) of every delivery queued."""
    rows = session.exec(select(Delivery, OutboxMessage).where(
        Delivery.message_id == OutboxMessage.id))
    return {(d.poc_id, d.channel, str(m.context["written_in"])) for d, m in rows}


def approved(session: Session, **kwargs: object) -> int:
    message_id = draft(session, **kwargs)  # type: ignore[arg-type]
    chair.approve(session=session, message_id=message_id, actor=APPROVER, now=NOW)
    session.commit()
    return message_id


def test_two_releases_make_one_set_of_deliveries(session: Session) -> None:
    poc = add_poc(session, "FRA", "Claire Invented", email="claire@example.org", chat_id=11)
    message_id = approved(session)
    first = release(session=session, message_id=message_id, actor="test", now=NOW)
    second = release(session=session, message_id=message_id, actor="test", now=NOW)
    session.commit()
    assert first is not None and first.deliveries == 2
    assert second is None
    assert release_due(session=session, actor="test", now=NOW + timedelta(hours=1)) == []
    assert deliveries(session) == {(poc, "email", "en"), (poc, "telegram", "en")}


def test_two_processes_racing_release_it_once(engine: Engine) -> None:
    with Session(engine) as session:
        poc = add_poc(session, "FRA", "Claire Invented", email="claire@example.org")
        message_id = approved(session)
    start = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def tick() -> None:
        try:
            with Session(engine, expire_on_commit=False) as own:
                start.wait()
                results.extend(r.message_id for r in
                               release_due(session=own, actor="test", now=NOW))
        except BaseException as error:  # reported below, never swallowed
            errors.append(error)

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert results == [message_id]
    with Session(engine) as session:
        assert deliveries(session) == {(poc, "email", "en")}
        assert len(session.exec(select(OutboxMessage)).all()) == 1


def test_each_poc_gets_their_language_or_english(session: Session) -> None:
    claire = add_poc(session, "FRA", "Claire Invented", email="c@example.org", language="fr")
    ivan = add_poc(session, "RUS", "Ivan Invented", email="i@example.org", language="ru")
    ana = add_poc(session, "ESP", "Ana Invented", email="a@example.org", language="es")
    message_id = approved(session, languages=("en", "fr", "es"))
    plan = release(session=session, message_id=message_id, actor="test", now=NOW)
    session.commit()
    assert plan is not None and set(plan.outbox_ids) == {"en", "fr", "es"}
    assert deliveries(session) == {(claire, "email", "fr"), (ivan, "email", "en"),
                                   (ana, "email", "es")}


def test_opted_out_and_unreachable_channels_are_skipped(session: Session) -> None:
    both = add_poc(session, "FRA", "Both Invented", email="b@example.org", chat_id=21)
    no_mail = add_poc(session, "SEN", "Nomail Invented", email="n@example.org", chat_id=22)
    blocked = add_poc(session, "BRA", "Blocked Invented", email="x@example.org", chat_id=23)
    nothing = add_poc(session, "JPN", "Nothing Invented", email="z@example.org", chat_id=24)
    pocs.opt_out_of_email(session=session, poc_id=no_mail, actor="test", now=NOW)
    pocs.mark_telegram_unreachable(session=session, poc_id=blocked, actor="test", now=NOW)
    pocs.opt_out_of_email(session=session, poc_id=nothing, actor="test", now=NOW)
    pocs.stop_telegram(session=session, poc_id=nothing, actor="test", now=NOW)
    session.commit()
    message_id = approved(session)
    result = release(session=session, message_id=message_id, actor="test", now=NOW)
    session.commit()
    assert result is not None and result.unreachable == [nothing]
    assert deliveries(session) == {(both, "email", "en"), (both, "telegram", "en"),
                                   (no_mail, "telegram", "en"), (blocked, "email", "en")}
    assert status(session=session, message_id=message_id).unreachable == [(nothing, "JPN")]


def test_inactive_pocs_receive_nothing(session: Session) -> None:
    active = add_poc(session, "FRA", "Active Invented", email="a@example.org")
    gone = add_poc(session, "SEN", "Gone Invented", email="g@example.org")
    poc = pocs.get(session=session, poc_id=gone)
    assert poc is not None
    pocs.update(session=session, poc=poc, actor="test", now=NOW, fields=pocs.PocFields(
        **{**pocs.fields_of(session=session, poc=poc).__dict__, "status": "inactive"}))
    session.commit()
    release(session=session, message_id=approved(session), actor="test", now=NOW)
    assert {poc_id for poc_id, _, _ in deliveries(session)} == {active}


@pytest.mark.parametrize(("audience", "expected"), [
    ({"kinds": ["organisation"]}, {"IAEA"}),
    ({"kinds": ["state"]}, {"FRA", "SEN", "CHN"}),
    ({"groups": ["afr"]}, {"SEN"}),
    ({"groups": ["WEOG", "APG"]}, {"FRA", "CHN"}),
    ({"roles": ["assistance"]}, {"SEN"}),
    ({"languages": ["zh"]}, {"CHN"}),
    ({"kinds": ["state"], "languages": ["fr"]}, {"FRA", "SEN"}),
    ({}, {"FRA", "SEN", "CHN", "IAEA"}),
])
def test_audience_filters_select_the_right_pocs(session: Session, audience: dict[str, list[str]],
                                                expected: set[str]) -> None:
    by_party = {
        add_poc(session, "FRA", "Claire Invented", email="c@example.org", language="fr"): "FRA",
        add_poc(session, "SEN", "Awa Invented", email="a@example.org", language="fr",
                role="assistance"): "SEN",
        add_poc(session, "CHN", "Li Invented", email="l@example.org", language="zh"): "CHN",
        add_poc(session, "IAEA", "Org Invented", email="o@example.org"): "IAEA",
    }
    chosen = validated(session=session, **audience)
    message_id = approved(session, audience=chosen)
    release(session=session, message_id=message_id, actor="test", now=NOW)
    assert {by_party[poc_id] for poc_id, _, _ in deliveries(session)} == expected


@pytest.mark.parametrize(("dimension", "value"), [
    ("kinds", "country"), ("groups", "NATO"), ("roles", "chair"), ("languages", "de")])
def test_an_unknown_filter_value_is_refused(session: Session, dimension: str,
                                            value: str) -> None:
    with pytest.raises(InvalidAudience) as refused:
        validated(session=session, **{dimension: [value]})
    assert refused.value.value == value


def test_status_counts_per_channel_and_language_and_failed_ones_can_be_retried(
        session: Session) -> None:
    claire = add_poc(session, "FRA", "Claire Invented", email="c@example.org", chat_id=31,
                     language="fr")
    add_poc(session, "SEN", "Awa Invented", email="a@example.org", language="en")
    message_id = approved(session, languages=("en", "fr"))
    release(session=session, message_id=message_id, actor="test", now=NOW)
    session.commit()
    claimed = outbox.claim(session=session, owner="d", now=NOW, limit=10,
                           lease=timedelta(minutes=5))
    by_id = {d.id: d for d in session.exec(select(Delivery))}
    for delivery_id in claimed:
        delivery = by_id[delivery_id]
        outbox.mark_sending(session=session, delivery_id=delivery_id, owner="d", now=NOW,
                            lease=timedelta(minutes=5))
        if delivery.poc_id == claire and delivery.channel == Channel.TELEGRAM:
            outbox.record_failed(session=session, delivery_id=delivery_id, owner="d", now=NOW,
                                 reason="chat not found")
        else:
            outbox.record_sent(session=session, delivery_id=delivery_id, owner="d", now=NOW,
                               external_id=None)
    assert settle(session=session, actor="test", now=NOW) == [message_id]
    report = status(session=session, message_id=message_id)
    assert report.message.state == chair.ChairState.SENT
    assert {key: row["sent"] for key, row in report.counts.items()} == {
        ("email", "en"): 1, ("email", "fr"): 1, ("telegram", "fr"): 0}
    assert report.counts[("telegram", "fr")]["failed"] == 1
    assert [(p.party_code, p.channel, p.reason) for p in report.problems] == [
        ("FRA", "telegram", "chat not found")]
    retried = retry_failed(session=session, message_id=message_id, actor=DRAFTER, now=NOW)
    assert retried == [report.problems[0].delivery_id]
    again = status(session=session, message_id=message_id)
    assert again.message.state == chair.ChairState.SENDING
    assert again.counts[("telegram", "fr")]["pending"] == 1
    assert outbox.counts_by_state(session=session)[DeliveryState.PENDING] == 1


def test_retry_is_refused_for_a_message_never_released(session: Session) -> None:
    add_poc(session, "FRA", "Claire Invented", email="c@example.org")
    message_id = approved(session)
    with pytest.raises(chair.RetryRefused):
        retry_failed(session=session, message_id=message_id, actor=DRAFTER, now=NOW)


def test_audience_filter_round_trips_through_storage() -> None:
    audience = AudienceFilter(kinds=("state",), groups=("AFR",), roles=(), languages=("fr",))
    assert AudienceFilter.from_json(audience.to_json()) == audience
    assert AudienceFilter.from_json({}).is_everyone
