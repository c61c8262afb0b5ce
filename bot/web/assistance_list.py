"""`outreach assistance publish`: the Committee's website list of published assistance
requests, one page per UN language (bot/render/assistance_page.py), written to a folder."""

from datetime import date
from pathlib import Path

from sqlmodel import Session

from bot.render.assistance_page import PublishedNeed, PublishedRequest, published_pages
from storage import parties
from storage.assistance import requests


def published_requests(*, session: Session, day: date) -> list[PublishedRequest]:
    """The requests on the website on `day`, as the page shows them (nothing personal)."""
    return [PublishedRequest(
        state=view.party.code, received_on=view.request.received_on,
        published_on=view.request.published_on or day, reference=view.request.reference,
        needs=tuple(PublishedNeed(need.area, need.weapon) for need in view.needs))
        for view in requests.listing(session=session, published_on=day)]


def write(*, session: Session, out: Path, today: date, notice: str | None = None) -> int:
    """Write index.html (English) and index.<language>.html; the number of requests listed."""
    listed = published_requests(session=session, day=today)
    names = {language.code: language.native_name
             for language in parties.languages(session=session)}
    out.mkdir(parents=True, exist_ok=True)
    for name, page in published_pages(listed, today, names, notice).items():
        (out / name).write_text(page, encoding="utf-8")
    return len(listed)
