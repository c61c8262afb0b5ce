"""What a Chair's message looks like to its recipients, before anyone approves it.

Used by `outreach chair preview` and by the Telegram /chair commands alike: per language,
the exact subject, e-mail text, e-mail HTML and Telegram HTML a PoC receives (rendered by
the dispatcher's own bot.render.messages.render_message from the outbox context release will
store), and who gets which language by which channel. PoCs appear by id and party code only.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.render.markdown import TELEGRAM_LIMIT, telegram_visible_length
from bot.render.messages import render_message
from bot.render.templates import direction, render
from storage import chair
from storage.chair import ChairMessage, TelegramTooLong
from storage.chair_audience import CHAIR_LANGUAGES, PlannedRecipient, RecipientPlan
from storage.chair_release import TEMPLATE, outbox_context, recipients
from storage.outbox import Channel


@dataclass(frozen=True)
class LanguagePreview:
    language: str
    direction: str  # "rtl" for Arabic
    subject: str
    email_text: str
    email_html: str
    telegram_html: str

    @property
    def telegram_too_long(self) -> bool:
        """Telegram refuses messages over 4096 visible characters."""
        return telegram_visible_length(self.telegram_html) > TELEGRAM_LIMIT


@dataclass(frozen=True)
class TableRow:
    language: str
    email: int
    telegram: int
    pocs: int  # PoCs receiving this language (by any channel)
    fallbacks: int  # of whom: their own language has no body


@dataclass(frozen=True)
class ChairPreview:
    message: ChairMessage
    languages: dict[str, LanguagePreview]  # complete bodies only, in the UN's order
    plan: RecipientPlan

    @property
    def table(self) -> list[TableRow]:
        counts = self.plan.table()
        rows = []
        for language in CHAIR_LANGUAGES:
            people = [r for r in self.plan.reachable if r.language == language]
            if language not in self.languages and not people:
                continue
            rows.append(TableRow(language=language, email=counts.get((language, Channel.EMAIL), 0),
                                 telegram=counts.get((language, Channel.TELEGRAM), 0),
                                 pocs=len(people), fallbacks=sum(r.fell_back for r in people)))
        return rows

    @property
    def fallbacks(self) -> list[PlannedRecipient]:
        return self.plan.fallbacks

    @property
    def unreachable(self) -> list[PlannedRecipient]:
        return self.plan.unreachable


def preview(*, session: Session, message_id: int,
            unsubscribe_url: str | None = None) -> ChairPreview:
    """Raises storage.chair.MessageNotFound. `unsubscribe_url`: a sample of the per-PoC link
    the dispatcher adds when a public URL is configured."""
    message = chair.get(session=session, message_id=message_id)
    previews = {}
    for language, body in chair.bodies(session=session, message_id=message_id).items():
        if not body.complete:
            continue
        rendered = render_message(TEMPLATE, language,
                                  {"message": outbox_context(message_id, body)},
                                  unsubscribe_url)
        previews[language] = LanguagePreview(
            language=language, direction=direction(language),
            subject=rendered.subject, email_text=rendered.text, email_html=rendered.html,
            telegram_html=rendered.telegram)
    return ChairPreview(message=message, languages=previews,
                        plan=recipients(session=session, message=message))


def approve(*, session: Session, message_id: int, actor: str, now: datetime,
            revision: int | None = None) -> ChairMessage:
    """storage.chair.approve, after checking every language PoCs would get by Telegram fits
    one Telegram message (raises TelegramTooLong, a ChairError, naming the language)."""
    result = preview(session=session, message_id=message_id)
    by_telegram = {row.language for row in result.table if row.telegram}
    for language, shown in result.languages.items():
        if language in by_telegram and shown.telegram_too_long:
            raise TelegramTooLong(message_id, language=language,
                                  length=str(telegram_visible_length(shown.telegram_html)),
                                  limit=str(TELEGRAM_LIMIT))
    return chair.approve(session=session, message_id=message_id, actor=actor, now=now,
                         revision=revision)


def table_text(result: ChairPreview, language: str = "en") -> str:
    """The recipients table and the fall-back and unreachable lists, as plain text."""
    return render("cli/chair_table.txt.j2", language, preview=result)
