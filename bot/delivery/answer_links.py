"""Which answers go with a message, and the links and buttons that carry them: a reminder's
(and a State's assistance form and upload page), an assistance follow-up's, a letter's, a
draft matrix's (and the upload page for comments on it) (bot.delivery.answer_kinds), the
upload page under a Chair's message.

The dispatcher asks once per delivery; the links are signed for that delivery (or PoC) and
need the service's public address and secret, without which an e-mail carries none.
"""

from datetime import date

from bot.delivery.answer_kinds import (
    ASSISTANCE,
    LETTER,
    MATRIX_REVIEW,
    REPLY,
    AnswerKind,
    answer_names,
    buttons,
)
from bot.web.links import answer_urls, assistance_form_url, letter_upload_url, upload_url
from storage.assistance.feedback import FOLLOW_UP_TEMPLATE
from storage.matrices.reviews import review_of_message
from storage.outbox import OutboxMessage
from storage.parties import PartyKind

REMINDER_KIND = "reminder"  # messages whose recipients can answer: received, later, not me
CHAIR_TEMPLATE = "chair_message"
# what a reminder's upload link sends a document as (storage.inbox.model.Purpose)
UPLOAD_PURPOSES = {"reminder_first_report": "national_report",
                   "reminder_update": "additional_info"}


def answer_kind(message: OutboxMessage, is_letter: bool) -> AnswerKind | None:
    """The answers a message's recipients can give; `is_letter`: the message is a letter
    expecting a response or one of its reminders (storage.letters)."""
    if review_of_message(message) is not None:  # a draft matrix sent for review, or its reminder
        return MATRIX_REVIEW
    if is_letter:
        return LETTER
    if message.kind == REMINDER_KIND:
        return REPLY
    if message.template == FOLLOW_UP_TEMPLATE:
        return ASSISTANCE
    return None


def urls(kind: AnswerKind, public_url: str, secret: str, delivery_id: int) -> dict[str, str]:
    """The signed link of each of the kind's answers to this delivery, by answer."""
    return answer_urls(public_url, secret, kind.path, delivery_id, answer_names(kind))


def email_links(*, public_url: str, secret: str, message: OutboxMessage,
                letter_id: int | None, delivery_id: int, poc_id: int, party_kind: str,
                today: date) -> dict[str, str] | None:
    """The links an e-mail of this delivery carries, by name, for its template; `letter_id`:
    the letter expecting a response the message is (or reminds of), if any."""
    kind = answer_kind(message, letter_id is not None)
    links = None if kind is None else urls(kind, public_url, secret, delivery_id)
    if kind is LETTER and links is not None and letter_id is not None:
        # the response itself, through the upload page, naming the letter
        links["upload"] = letter_upload_url(public_url, secret, poc_id, letter_id, today)
    elif kind is REPLY and links is not None and party_kind == PartyKind.STATE:
        # a State's PoC may request assistance, and send its report through the upload page
        links["assistance_form"] = assistance_form_url(public_url, secret, poc_id, today)
        links["upload"] = upload_url(public_url, secret, poc_id,
                                     UPLOAD_PURPOSES.get(message.template, "additional_info"),
                                     today)
    elif kind is MATRIX_REVIEW and links is not None:  # the comments, through the upload page
        links["upload"] = upload_url(public_url, secret, poc_id, "matrix_comments", today)
    elif kind is None and message.template == CHAIR_TEMPLATE:
        # a written answer to the Chair's letter
        links = {"upload": upload_url(public_url, secret, poc_id, "letter_response", today)}
    return links


def telegram_buttons(message: OutboxMessage, is_letter: bool, delivery_id: int,
                     language: str) -> tuple[tuple[str, str], ...]:
    """The (label, callback data) answer buttons under a Telegram message of this delivery."""
    kind = answer_kind(message, is_letter)
    return () if kind is None else buttons(kind, delivery_id, language)
