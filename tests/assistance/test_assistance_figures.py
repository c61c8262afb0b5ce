"""The assistance figures (seed paper, section 5): what each counts, over a period."""

from datetime import date

from sqlmodel import Session, select

from storage.assistance import providers, requests
from storage.assistance.model import AssistanceRequest
from storage.assistance.requests import Need, RequestFields
from storage.figures.assistance import assistance_figures
from storage.figures.statistics import Period
from storage.parties import Party
from tests.support.outbox import NOW

PERIOD = Period(date(2016, 4, 26), date(2022, 4, 15))


def party(session: Session, code: str) -> Party:
    return session.exec(select(Party).where(Party.code == code)).one()


def request(session: Session, state: str, received: date, *areas: str,
            confirmed: bool = True) -> AssistanceRequest:
    return requests.add(
        session=session, party=party(session, state),
        fields=RequestFields(received_on=received, channel="template",
                             needs=tuple(Need(area) for area in areas),
                             consent_to_publish=True),
        actor="ana", now=NOW, confirmed=confirmed)


def test_a_state_with_two_requests_counts_once_per_area(session: Session) -> None:
    request(session, "KEN", date(2017, 1, 5), "op3_cd", "training")
    request(session, "KEN", date(2019, 2, 1), "training", "equipment")
    request(session, "PER", date(2020, 3, 1), "training")
    request(session, "TGO", date(2016, 4, 25), "funding")  # the day before the period
    request(session, "FJI", date(2022, 4, 16), "funding")  # the day after
    request(session, "NPL", date(2018, 1, 1), "funding", confirmed=False)  # not yet counted
    session.commit()
    figures = assistance_figures(session=session, period=PERIOD)
    assert (figures.requests, figures.requesting_states) == (3, 2)
    assert figures.states_by_area["training"] == 2
    assert figures.states_by_area["op3_cd"] == 1
    assert figures.states_by_area["equipment"] == 1
    assert figures.states_by_area["funding"] == 0


def test_a_state_that_kept_an_earlier_request_in_force_is_counted_apart(
    session: Session,
) -> None:
    kept = request(session, "TGO", date(2014, 6, 1), "op2")
    requests.maintain(session=session, request=kept, on=date(2018, 5, 1), actor="ana", now=NOW)
    both = request(session, "KEN", date(2013, 6, 1), "op2")  # kept, and filed a new one
    requests.maintain(session=session, request=both, on=date(2018, 5, 1), actor="ana", now=NOW)
    request(session, "KEN", date(2019, 1, 1), "training")
    silent = request(session, "PER", date(2014, 6, 1), "op2")  # never said it keeps it
    assert silent.maintained_on is None
    session.commit()
    figures = assistance_figures(session=session, period=PERIOD)
    assert figures.requesting_states == 1
    assert figures.maintained_states == 1


def test_published_requests_are_those_on_the_website_on_the_last_day(session: Session) -> None:
    for state, closed in (("KEN", None), ("KEN", None), ("PER", date(2021, 1, 1)),
                          ("TGO", date(2023, 1, 1))):
        made = request(session, state, date(2017, 1, 1), "training")
        requests.advance(session=session, request=made, to="open", on=date(2017, 2, 1),
                         actor="ana", now=NOW)
        requests.publish(session=session, request=made, on=date(2017, 3, 1), actor="ana",
                         now=NOW)
        if closed:
            requests.advance(session=session, request=made, to="withdrawn", on=closed,
                             actor="ana", now=NOW)
    request(session, "FJI", date(2017, 1, 1), "training")  # never published
    session.commit()
    figures = assistance_figures(session=session, period=PERIOD)
    assert (figures.published_requests, figures.published_states) == (3, 2)


def test_organisations_registered_and_those_that_responded(session: Session) -> None:
    asked = [request(session, state, date(2018, 1, 1), "training")
             for state in ("KEN", "PER", "TGO")]
    iaea, opcw, unodc = (
        providers.register(session=session, party=party(session, code),
                           registered_on=date(2016, 1, 1), areas=["training"], actor="ana",
                           now=NOW) for code in ("IAEA", "OPCW", "UNODC"))
    providers.register(session=session, party=party(session, "FRA"),
                       registered_on=date(2016, 1, 1), areas=["training"], actor="ana", now=NOW)
    late = providers.register(session=session, party=party(session, "WCO"),
                              registered_on=date(2023, 1, 1), areas=["training"], actor="ana",
                              now=NOW)
    assert late.id is not None
    providers.withdraw(session=session, provider=unodc, on=date(2020, 1, 1), actor="ana",
                       now=NOW)
    for made, provider in ((asked[0], iaea), (asked[1], iaea), (asked[1], opcw)):
        providers.offer(session=session, request=made, provider=provider,
                        offered_on=date(2018, 3, 1), detail="", actor="ana", now=NOW)
    session.commit()
    figures = assistance_figures(session=session, period=PERIOD)
    assert figures.registered_organisations == 2  # UNODC withdrew, WCO came later
    assert figures.registered_states == 1
    assert figures.responding_organisations == 2
    assert figures.requests_answered_by_organisations == 2
    assert figures.regional_conferences == 0
