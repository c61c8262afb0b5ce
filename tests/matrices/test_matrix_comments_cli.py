"""Comments on a draft matrix seen by staff and by the PoC's page, both backends: `outreach
inbox confirm ID` alone marks them read (no submission), with --kind it refuses; `outreach
matrices show` says when they came; the upload page refuses comments from a PoC whose State
has no review awaiting an answer, in the PoC's language, keeping nothing."""

from pathlib import Path

import httpx
from sqlmodel import Session, select

from storage.inbox import store
from storage.submissions import Submission
from tests.inbox.test_upload_page import kept, link, site  # noqa: F401
from tests.inbox.test_upload_page import send as post
from tests.matrices.review_support import CAP, later, send
from tests.support import documents
from tests.support.cli import Invoke
from tests.support.outbox import add_poc
from tests.support.web import Site


def _comments(session: Session, tmp_path: Path, poc_id: int) -> int:
    document = store.receive(session=session, incoming=store.Incoming(
        poc_id=poc_id, purpose="matrix_comments", original_name="comments.pdf",
        content=documents.PDF, channel="web"), data_dir=tmp_path / "data", max_bytes=CAP,
        now=later(4))
    session.commit()
    assert document.id is not None
    return document.id


def test_staff_confirm_comments_as_read_and_the_review_shows_them(
        outreach: Invoke, session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path / "data")
    document_id = _comments(session, tmp_path, sent.pocs["email"])
    shown = outreach("matrices", "show", "KEN")
    assert (f"comments received on {later(4).date()} (document {document_id}, awaiting "
            f"staff: `outreach inbox confirm {document_id}`)") in shown.output
    wrong = outreach("inbox", "confirm", str(document_id), "--kind", "first_report", "--on",
                     "2026-11-10")
    assert wrong.exit_code == 1
    assert "comments on a draft matrix, not a submission" in wrong.output
    done = outreach("inbox", "confirm", str(document_id))
    assert done.exit_code == 0, done.output
    assert (f"Document {document_id} confirmed: staff have read these comments on the draft "
            f"matrix (review {sent.review.id})") in done.output
    assert session.exec(select(Submission)).all() == []
    assert f"(document {document_id}, read by staff)" in outreach(
        "matrices", "show", "KEN").output
    again = outreach("inbox", "confirm", str(document_id))
    assert again.exit_code == 1 and "already" in again.output


def test_a_national_report_still_needs_its_kind(
        outreach: Invoke, session: Session, tmp_path: Path) -> None:
    sent = send(session, tmp_path / "data")
    report = store.receive(session=session, incoming=store.Incoming(
        poc_id=sent.pocs["email"], purpose="national_report", original_name="report.pdf",
        content=documents.PDF, channel="web"), data_dir=tmp_path / "data", max_bytes=CAP,
        now=later(4))
    session.commit()
    refused = outreach("inbox", "confirm", str(report.id))
    assert refused.exit_code == 1 and "--kind and --on" in refused.output


async def test_the_page_refuses_comments_when_no_review_awaits(
        site: Site, session: Session, tmp_path: Path) -> None:  # noqa: F811
    poc = add_poc(session, "FRA", "Claire Exemple-Test", "claire@example.org", language="fr")
    url = link(site, poc, purpose="matrix_comments")
    async with httpx.AsyncClient() as client:
        page = await client.get(url)
    assert page.status_code == 409
    assert "Aucun projet de matrice" in page.text
    answer = await post(url, "commentaires.pdf", documents.PDF)
    assert answer.status_code == 409
    assert "Aucun projet de matrice" in answer.text
    assert kept(session) == []
    assert not (tmp_path / "inbox").exists()


async def test_the_page_takes_comments_while_the_review_awaits(
        site: Site, session: Session, tmp_path: Path) -> None:  # noqa: F811
    sent = send(session, tmp_path)
    url = link(site, sent.pocs["email"], purpose="matrix_comments")
    async with httpx.AsyncClient() as client:
        page = await client.get(url)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    answer = await post(url, "comments.pdf", documents.PDF)
    assert answer.status_code == 200, answer.text
    [document] = kept(session)
    assert document.matrix_review_id == sent.review.id
