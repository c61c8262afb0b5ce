"""The public archive of the Chair's sent messages: a page per message and language it was
sent in (in that language, its own words too: message-<id>.html in English,
message-<id>.<language>.html in the others), an index and an Atom feed (RFC 4287) per UN
language, for the Committee's website.

Only sent messages are published. Links are absolute under OUTREACH_PUBLIC_URL + /chair/
when a public URL is set (feed readers need them), relative otherwise.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from bot.render.markdown import to_email_html
from bot.render.templates import render
from storage import chair, parties
from storage.chair import ChairState
from storage.parties import UN_LANGUAGES

ARCHIVE_PATH = "chair/"


@dataclass(frozen=True)
class Version:
    language: str
    name: str  # the language's own name: Français, العربية ...
    direction: str
    subject: str
    html: str


@dataclass(frozen=True)
class ArchivedMessage:
    message_id: int
    published: datetime
    versions: list[Version]  # English first, then the UN order
    filename: str
    link: str
    entry_id: str

    @property
    def english(self) -> Version:
        return next(v for v in self.versions if v.language == "en")

    def page(self, language: str) -> str:
        """The file name of the message's page in `language` (English: `filename`)."""
        if language == "en":
            return self.filename
        return f"{self.filename.removesuffix('.html')}.{language}.html"

    def link_to(self, language: str) -> str:
        """The link to the message's page in `language`."""
        return self.link.removesuffix(self.filename) + self.page(language)

    def version(self, language: str) -> Version:
        """The message in `language`, or in English where it was not sent in that language
        (the template marks the entry with the version's own language, never the reader's)."""
        return next((v for v in self.versions if v.language == language), self.english)


def index_name(language: str) -> str:
    return "index.html" if language == "en" else f"index.{language}.html"


def feed_name(language: str) -> str:
    return "atom.xml" if language == "en" else f"atom.{language}.xml"


def _base(public_url: str | None) -> str:
    return f"{public_url.rstrip('/')}/{ARCHIVE_PATH}" if public_url else ""


def archived(*, session: Session, public_url: str | None) -> list[ArchivedMessage]:
    """Sent messages, newest first, with every complete language rendered."""
    names = {lang.code: (lang.native_name, lang.direction)
             for lang in parties.languages(session=session)}
    base = _base(public_url)
    result = []
    for item in chair.listing(session=session, states=[ChairState.SENT]):
        assert item.id is not None
        versions = [
            Version(language=language, name=names.get(language, (language, "ltr"))[0],
                    direction=names.get(language, (language, "ltr"))[1],
                    subject=body.subject, html=to_email_html(body.markdown))
            for language, body in chair.bodies(session=session, message_id=item.id).items()
            if body.complete
        ]
        versions.sort(key=lambda v: v.language != "en")
        filename = f"message-{item.id}.html"
        published = item.released_at or item.sent_at or item.updated_at
        result.append(ArchivedMessage(
            message_id=item.id, published=published, versions=versions, filename=filename,
            link=base + filename,
            entry_id=base + filename if base else f"urn:outreach-1540:chair-message:{item.id}"))
    return result


def write(*, session: Session, out: Path, public_url: str | None, now: datetime) -> int:
    """Write the archive into `out` (created if needed); returns the number of messages."""
    messages = archived(session=session, public_url=public_url)
    out.mkdir(parents=True, exist_ok=True)
    base = _base(public_url)
    for item in messages:
        for version in item.versions:
            page = render("web/chair_archive_message.html.j2", version.language, item=item,
                          version=version, index=base + index_name(version.language))
            (out / item.page(version.language)).write_text(page + "\n", encoding="utf-8")
    updated = max((m.published for m in messages), default=now).astimezone(UTC)
    names = {lang.code: lang.native_name for lang in parties.languages(session=session)}
    for language in UN_LANGUAGES:
        _write_index_and_feed(out, base, language, messages, updated, names)
    return len(messages)


def _write_index_and_feed(out: Path, base: str, language: str,
                          messages: list[ArchivedMessage], updated: datetime,
                          names: dict[str, str]) -> None:
    """The index page and the Atom feed in one UN language: their own words in it, each
    message in it where it was sent in it (else in English, marked as such)."""
    others = [(other, names.get(other, other), base + index_name(other))
              for other in UN_LANGUAGES if other != language]
    index = render("web/chair_archive_index.html.j2", language, messages=messages,
                   feed=base + feed_name(language), others=others)
    (out / index_name(language)).write_text(index + "\n", encoding="utf-8")
    # The English feed keeps the id its readers already follow.
    feed_id = base + feed_name(language) if base else \
        "urn:outreach-1540:chair-messages" + ("" if language == "en" else f":{language}")
    feed = render("web/chair_archive_atom.xml.j2", language, messages=messages,
                  updated=updated, feed_id=feed_id, self_link=base + feed_name(language),
                  index=base + index_name(language))
    (out / feed_name(language)).write_text(feed + "\n", encoding="utf-8")
