"""A PoC sends a document through the signed upload page of a reminder or Chair letter
e-mail: the form in the PoC's language and direction, a multipart POST that keeps the file
for the PoC's own party; a file refused by content or size with a sentence in the PoC's
language and nothing kept; a tampered link 404, a link for another purpose or PoC 404, an
expired one 410. On both backends, at a clock the spec moves."""

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.web.links import upload_url
from storage.audit import AuditEntry
from storage.inbox.model import ReceivedDocument
from tests.support import documents
from tests.support.outbox import NOW, add_poc
from tests.support.web import SECRET, Site, assert_safe, site_at

CAP = 4096


@pytest.fixture
async def site(engine: Engine, tmp_path: Path) -> AsyncIterator[Site]:
    async with site_at(engine, NOW, reply_link_days=30, data_dir=tmp_path,
                       upload_max_bytes=CAP) as served:
        yield served


def link(site: Site, poc_id: int, purpose: str = "national_report", days_ago: int = 0) -> str:
    return upload_url(site.base, SECRET, poc_id, purpose, (NOW - timedelta(days=days_ago)).date())


def kept(session: Session) -> list[ReceivedDocument]:
    session.expire_all()
    return list(session.exec(select(ReceivedDocument)))


async def send(url: str, name: str, content: bytes) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(url, files={"document": (name, content,
                                                          "application/octet-stream")})


async def test_the_page_is_in_the_pocs_language_and_direction(
    site: Site, session: Session
) -> None:
    poc = add_poc(session, "EGY", "Amal Test-Person", "amal@example.org", language="ar")
    async with httpx.AsyncClient() as client:
        page = await client.get(link(site, poc, days_ago=29))
    assert page.status_code == 200
    assert_safe(page)
    assert '<html lang="ar" dir="rtl"' in page.text
    assert "مصر" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert kept(session) == []


async def test_an_upload_keeps_the_file_for_the_pocs_own_state(
    site: Site, session: Session, tmp_path: Path
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    answer = await send(link(site, poc), "Report 2026.docx", documents.docx())
    assert answer.status_code == 200, answer.text
    assert "has been received" in answer.text
    [document] = kept(session)
    assert (document.poc_id, document.purpose, document.channel, document.detected_type) == (
        poc, "national_report", "web", "docx")
    assert document.original_name == "Report 2026.docx"
    assert document.stored_name is not None
    assert (tmp_path / "inbox" / document.stored_name).read_bytes() == documents.docx()
    audited = session.exec(select(AuditEntry).where(AuditEntry.entity == "inbox_document")).one()
    assert audited.actor == f"poc:{poc}"
    again = await send(link(site, poc), "again.docx", documents.docx())
    assert "already been received" in again.text
    assert [d.status for d in kept(session)] == ["received", "duplicate"]


async def test_html_named_pdf_is_refused_in_the_pocs_language(
    site: Site, session: Session, tmp_path: Path
) -> None:
    poc = add_poc(session, "FRA", "Claire Exemple-Test", "claire@example.org", language="fr")
    answer = await send(link(site, poc), "rapport.pdf", documents.HTML_AS_PDF)
    assert answer.status_code == 400
    assert '<html lang="fr"' in answer.text
    assert "Seuls les documents PDF" in answer.text
    assert "<script>alert" not in answer.text
    assert kept(session) == []
    assert not (tmp_path / "inbox").exists()


async def test_a_file_over_the_cap_is_refused(site: Site, session: Session) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    answer = await send(link(site, poc), "big.pdf", b"%PDF-1.4\n" + b"0" * CAP)
    assert answer.status_code == 413
    assert "too large" in answer.text
    assert kept(session) == []


async def test_links_work_for_their_poc_and_purpose_only_and_expire(
    site: Site, session: Session
) -> None:
    poc = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    other = add_poc(session, "PER", "Rosa Quispe-Test", "rosa@example.org")
    good = link(site, poc)
    tampered = good[:-1] + ("0" if good[-1] != "0" else "1")
    other_purpose = good.replace("/national_report/", "/action_plan/")
    other_poc = good.replace(f"/upload/{poc}/", f"/upload/{other}/")
    for url in (tampered, other_purpose, other_poc):
        answer = await send(url, "r.pdf", documents.PDF)
        assert answer.status_code == 404, url
    expired = await send(link(site, poc, days_ago=31), "r.pdf", documents.PDF)
    assert expired.status_code == 410
    assert "expired" in expired.text
    assert kept(session) == []
