"""The website's list of published assistance requests: only what States consented to, nothing
personal, its own words in the six UN languages."""

from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from bot.web import assistance_list
from storage.assistance import requests
from storage.assistance.model import AssistanceRequest
from storage.assistance.requests import Need, RequestFields
from storage.parties import Party
from tests.support.outbox import NOW

TODAY = date(2026, 11, 27)


def add(session: Session, state: str, *, consent: bool, publish: bool,
        summary: str = "") -> AssistanceRequest:
    party = session.exec(select(Party).where(Party.code == state)).one()
    made = requests.add(session=session, party=party, fields=RequestFields(
        received_on=date(2025, 2, 3), channel="note_verbale", reference="NV/25/7",
        summary=summary, consent_to_publish=consent,
        needs=(Need("op3_cd", "chemical"), Need("training"))), actor="ana", now=NOW)
    requests.advance(session=session, request=made, to="open", on=date(2025, 3, 1),
                     actor="ana", now=NOW)
    if publish:
        requests.publish(session=session, request=made, on=date(2025, 3, 2), actor="ana",
                         now=NOW)
    return made


def test_only_published_requests_are_listed_and_no_summary_is(
    session: Session, tmp_path: Path
) -> None:
    add(session, "KEN", consent=True, publish=True,
        summary="Contact: Amina Test, amina@example.org")
    add(session, "PER", consent=True, publish=False)
    add(session, "TGO", consent=False, publish=False)
    closed = add(session, "FJI", consent=True, publish=True)
    requests.advance(session=session, request=closed, to="withdrawn", on=date(2026, 1, 1),
                     actor="ana", now=NOW)
    session.commit()
    assert assistance_list.write(session=session, out=tmp_path, today=TODAY) == 1
    english = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Kenya" in english and "Peru" not in english and "Fiji" not in english
    assert "Border and export controls" in english and "Chemical weapons" in english
    assert "amina" not in english.lower()
    assert "1 request, as of 27 November 2026." in english


def test_each_page_speaks_its_language(session: Session, tmp_path: Path) -> None:
    add(session, "KEN", consent=True, publish=True)
    session.commit()
    site = tmp_path / "site"
    assistance_list.write(session=session, out=site, today=TODAY)
    pages = {path.name: path.read_text(encoding="utf-8") for path in site.iterdir()}
    assert sorted(pages) == ["index.ar.html", "index.es.html", "index.fr.html",
                             "index.html", "index.ru.html", "index.zh.html"]
    arabic = pages["index.ar.html"]
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "طلبات المساعدة التي نشرتها لجنة القرار 1540" in arabic
    assert "كينيا" in arabic and "الأسلحة الكيميائية" in arabic
    assert '<span lang="en"' not in arabic  # no word fell back to English
    assert "培训" in pages["index.zh.html"]
    assert "Contrôles aux frontières" in pages["index.fr.html"]
    assert 'href="index.ru.html"' in pages["index.html"]
