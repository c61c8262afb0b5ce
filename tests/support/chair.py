"""Invented PoCs and a ready-to-approve Chair's message for the chair specs."""

from datetime import UTC, datetime

from sqlmodel import Session, select

from storage import chair, pocs
from storage.chair_audience import AudienceFilter
from storage.parties import Party

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
DRAFTER = "cli:amina"
APPROVER = "telegram:4242"


def add_poc(session: Session, party_code: str, name: str, *, email: str | None = None,
            chat_id: int | None = None, language: str = "en", role: str = "national") -> int:
    party = session.exec(select(Party).where(Party.code == party_code)).one()
    assert party.id is not None
    poc = pocs.create(session=session, actor="test", now=NOW, fields=pocs.PocFields(
        party_id=party.id, role=role, full_name=name, emails=(email,) if email else (),
        language=language, timezone="UTC", telegram_chat_id=chat_id))
    session.commit()
    assert poc.id is not None
    return poc.id


def draft(session: Session, *, languages: tuple[str, ...] = ("en",),
          send_at: datetime | None = None, audience: AudienceFilter | None = None) -> int:
    """A draft by DRAFTER with a complete body in each of `languages`, committed."""
    message = chair.create_draft(session=session, actor=DRAFTER, now=NOW, send_at=send_at,
                                 audience=audience)
    assert message.id is not None
    for language in languages:
        chair.set_body(session=session, message_id=message.id, language=language,
                       actor=DRAFTER, now=NOW, subject=f"Message of the Chair ({language})",
                       markdown=f"Dear colleagues, **{language}** text.")
    session.commit()
    return message.id
