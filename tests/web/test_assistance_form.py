"""A State's PoC requests assistance through the signed form its reminder e-mail links to:
the form in the PoC's language, one unconfirmed request of the PoC's own State (channel web,
audited as the PoC) on a good POST; input refused with a sentence saying why, the input kept
and nothing written; a tampered link 404, an expired one 410, an organisation's PoC refused.
On both backends, at a clock the spec moves.
"""

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.channels.contract import OutgoingEmail
from bot.delivery.dispatcher import Dispatcher, LinkSettings
from bot.web.links import assistance_form_url
from storage import pocs
from storage.assistance.model import AssistanceNeed, AssistanceRequest
from storage.audit import AuditEntry
from storage.parties import Party
from tests.support.outbox import NOW, ScriptedSender, add_poc
from tests.support.web import SECRET, Site, assert_safe, delivery_to, site_at


@pytest.fixture
async def site(engine: Engine) -> AsyncIterator[Site]:
    async with site_at(engine, NOW, reply_link_days=30) as served:
        yield served


def link(site: Site, poc_id: int, days_ago: int = 0) -> str:
    return assistance_form_url(site.base, SECRET, poc_id,
                               (NOW - timedelta(days=days_ago)).date())


def filed(session: Session) -> list[AssistanceRequest]:
    session.expire_all()
    return list(session.exec(select(AssistanceRequest)))


async def test_the_form_is_in_the_pocs_language_and_direction(
    site: Site, session: Session
) -> None:
    poc = add_poc(session, "EGY", "Amal Test-Person", "amal@example.org", language="ar")
    async with httpx.AsyncClient() as client:
        page = await client.get(link(site, poc, days_ago=29))
    assert page.status_code == 200
    assert_safe(page)
    assert '<html lang="ar" dir="rtl"' in page.text
    assert "مصر" in page.text  # the State's name in Arabic
    assert "التدريب" in page.text  # the area "Training"
    assert 'maxlength="1000"' in page.text and "<main>" in page.text
    assert filed(session) == []  # GET writes nothing


async def test_a_post_with_two_areas_files_one_unconfirmed_request_of_the_pocs_state(
    site: Site, session: Session
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    form = {"area": ["training", "equipment"], "weapon_training": "chemical",
            "detail_training": "Customs officers <script>", "weapon_equipment": "",
            "detail_equipment": "", "consent": "yes"}
    async with httpx.AsyncClient() as client:
        done = await client.post(link(site, poc), data=form)
    assert done.status_code == 200
    assert "your request has been received. The secretariat will confirm it" in done.text
    [request] = filed(session)
    kenya = session.exec(select(Party).where(Party.code == "KEN")).one()
    assert (request.party_id, request.channel, request.confirmed_at) == (kenya.id, "web", None)
    assert request.consent_to_publish is True and request.received_on == NOW.date()
    needs = session.exec(select(AssistanceNeed).where(
        AssistanceNeed.request_id == request.id)).all()
    assert sorted((n.area, n.weapon, n.detail) for n in needs) == [
        ("equipment", None, ""), ("training", "chemical", "Customs officers <script>")]
    [entry] = [e for e in session.exec(select(AuditEntry)) if e.entity == "assistance_request"]
    assert (entry.actor, entry.action) == (f"poc:{poc}", "create")


@pytest.mark.parametrize(("form", "sentence"), [
    ({"detail_training": "Border <b>guards</b>", "consent": "no"},
     "Please choose at least one area of assistance."),
    ({"area": "training", "detail_training": "x" * 1001, "consent": "no"},
     "The details of an area may be at most 1000 characters long."),
    ({"area": "cooking", "consent": "no"},
     "The form was not understood; please choose among the options shown."),
])
async def test_refused_input_is_shown_again_with_a_sentence_and_nothing_is_written(
    site: Site, session: Session, form: dict[str, str], sentence: str
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    async with httpx.AsyncClient() as client:
        page = await client.post(link(site, poc), data=form)
    assert page.status_code == 400
    assert sentence in page.text
    if "area" not in form:
        assert "Border &lt;b&gt;guards&lt;/b&gt;</textarea>" in page.text  # kept, escaped
    elif form["area"] == "training":
        assert 'value="training" checked' in page.text and "x" * 1001 in page.text
    assert 'id="consent_no" name="consent" value="no" checked' in page.text
    assert filed(session) == []


async def test_a_tampered_an_expired_link_an_organisations_and_an_inactive_poc_are_refused(
    site: Site, session: Session
) -> None:
    poc = add_poc(session, "FRA", "Claire Martin-Test", "claire@example.org", language="fr")
    organisation = add_poc(session, "IAEA", "Irène Example-Test", "irene@example.org")
    inactive = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    gone = session.get(pocs.PointOfContact, inactive)
    assert gone is not None
    gone.status = pocs.PocStatus.INACTIVE
    session.add(gone)
    session.commit()
    good = link(site, poc)
    tampered = good[:-4] + ("0000" if not good.endswith("0000") else "1111")
    other_day = good.replace(NOW.strftime("%Y%m%d"), "20261126")  # signed for another day
    form = {"area": "training", "consent": "no"}
    async with httpx.AsyncClient() as client:
        invalid = [await client.get(tampered), await client.post(tampered, data=form),
                   await client.post(other_day, data=form)]
        expired = await client.post(link(site, poc, days_ago=31), data=form)
        refused = await client.post(link(site, organisation), data=form)
        stale = await client.post(link(site, inactive), data=form)
    assert [page.status_code for page in invalid] == [404] * 3
    assert "This link is not valid" in invalid[0].text
    assert expired.status_code == 410
    assert "Veuillez demander un nouveau lien au secrétariat" in expired.text
    assert refused.status_code == 403 and "Point of Contact of a State" in refused.text
    assert stale.status_code == 403
    assert filed(session) == []


async def test_a_reminder_e_mail_carries_the_form_link_of_its_state_poc(
    site: Site, engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    organisation = add_poc(session, "IAEA", "Irène Example-Test", "irene@example.org")
    delivery_to(session, poc)
    delivery_to(session, organisation)
    email = ScriptedSender()
    await Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                     clock=lambda: NOW,
                     links=LinkSettings(public_url=site.base, secret=SECRET)).run_once()
    mails = {item.to[0]: item for item in email.sent if isinstance(item, OutgoingEmail)}
    state = mails["wanjiru@example.org"]
    url = link(site, poc)
    assert f"Your State may request assistance through this form: {url}" in state.text
    assert f'href="{url}"' in state.html
    assert "/assistance-request/" not in mails["irene@example.org"].text
    async with httpx.AsyncClient() as client:
        page = await client.get(url)
    assert page.status_code == 200
    assert re.search(r"on behalf of\s+Kenya", page.text)


async def test_without_a_public_url_the_reminder_carries_no_form_link(
    engine: Engine, session: Session
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    delivery_to(session, poc)
    email = ScriptedSender()
    await Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                     clock=lambda: NOW, links=LinkSettings(secret=SECRET)).run_once()
    [mail] = [item for item in email.sent if isinstance(item, OutgoingEmail)]
    assert "stands ready to provide assistance upon request" in mail.text
    assert "request assistance through" not in mail.text + mail.html
