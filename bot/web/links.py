"""Signed links a PoC can follow without logging in: unsubscribe, answers to reminders, to
assistance follow-ups and to letters that expect a response, the assistance request form."""

import hashlib
import hmac
from datetime import date

REPLY_ANSWERS = ("received", "snooze", "wrong_contact")


def _signature(secret: str, purpose: str, *parts: object) -> str:
    payload = ":".join([purpose, *map(str, parts)]).encode()
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()[:32]


def _valid(secret: str, signature: str, purpose: str, *parts: object) -> bool:
    return hmac.compare_digest(_signature(secret, purpose, *parts), signature)


def unsubscribe_url(public_url: str, secret: str, poc_id: int) -> str:
    return f"{public_url.rstrip('/')}/unsubscribe/{poc_id}/{_signature(secret, 'unsub', poc_id)}"


def unsubscribe_signature_valid(secret: str, poc_id: int, signature: str) -> bool:
    return _valid(secret, signature, "unsub", poc_id)


def reply_urls(public_url: str, secret: str, delivery_id: int) -> dict[str, str]:
    """One link per answer a PoC can give to the reminder of this delivery."""
    base = public_url.rstrip("/")
    return {
        answer: f"{base}/reply/{delivery_id}/{answer}/"
        f"{_signature(secret, 'reply', delivery_id, answer)}"
        for answer in REPLY_ANSWERS
    }


def reply_signature_valid(secret: str, delivery_id: int, answer: str, signature: str) -> bool:
    return _valid(secret, signature, "reply", delivery_id, answer)


ASSISTANCE_ANSWERS = ("met", "partly_met", "still_needed")


def assistance_answer_urls(public_url: str, secret: str, delivery_id: int) -> dict[str, str]:
    """One link per answer a requesting State's PoC can give to an assistance follow-up."""
    base = public_url.rstrip("/")
    return {
        answer: f"{base}/assistance-answer/{delivery_id}/{answer}/"
        f"{_signature(secret, 'assistance-answer', delivery_id, answer)}"
        for answer in ASSISTANCE_ANSWERS
    }


def assistance_answer_signature_valid(secret: str, delivery_id: int, answer: str,
                                      signature: str) -> bool:
    return _valid(secret, signature, "assistance-answer", delivery_id, answer)


def assistance_form_url(public_url: str, secret: str, poc_id: int, issued: date) -> str:
    """The PoC's own link to the assistance request form, issued on `issued` (the day the
    e-mail carrying it is sent); it expires OUTREACH_REPLY_LINK_DAYS later."""
    day = issued.strftime("%Y%m%d")
    return (f"{public_url.rstrip('/')}/assistance-request/{poc_id}/{day}/"
            f"{_signature(secret, 'assist-form', poc_id, day)}")


def assistance_form_signature_valid(secret: str, poc_id: int, issued: str,
                                    signature: str) -> bool:
    return _valid(secret, signature, "assist-form", poc_id, issued)


def upload_url(public_url: str, secret: str, poc_id: int, purpose: str, issued: date) -> str:
    """The PoC's own link to the upload page for one purpose (storage.inbox.model.Purpose),
    issued on `issued` (the day the e-mail carrying it is sent); it expires
    OUTREACH_REPLY_LINK_DAYS later and works for this PoC and this purpose only."""
    day = issued.strftime("%Y%m%d")
    return (f"{public_url.rstrip('/')}/upload/{poc_id}/{purpose}/{day}/"
            f"{_signature(secret, 'upload', poc_id, purpose, day)}")


def upload_signature_valid(secret: str, poc_id: int, purpose: str, issued: str,
                           signature: str) -> bool:
    return _valid(secret, signature, "upload", poc_id, purpose, issued)
LETTER_ANSWERS = ("responded", "promise")


def letter_answer_urls(public_url: str, secret: str, delivery_id: int) -> dict[str, str]:
    """One link per answer a PoC can give to a letter that expects a response."""
    base = public_url.rstrip("/")
    return {
        answer: f"{base}/letter-answer/{delivery_id}/{answer}/"
        f"{_signature(secret, 'letter-answer', delivery_id, answer)}"
        for answer in LETTER_ANSWERS
    }


def letter_answer_signature_valid(secret: str, delivery_id: int, answer: str,
                                  signature: str) -> bool:
    return _valid(secret, signature, "letter-answer", delivery_id, answer)


def letter_upload_url(public_url: str, secret: str, poc_id: int, letter_id: int,
                      issued: date) -> str:
    """The PoC's own link to the upload page for its response to one letter (the letter's
    e-mail and its reminders carry it), issued on `issued`; it expires
    OUTREACH_REPLY_LINK_DAYS later and works for this PoC and this letter only."""
    day = issued.strftime("%Y%m%d")
    return (f"{public_url.rstrip('/')}/letter-upload/{poc_id}/{letter_id}/{day}/"
            f"{_signature(secret, 'letter-upload', poc_id, letter_id, day)}")


def letter_upload_signature_valid(secret: str, poc_id: int, letter_id: int, issued: str,
                                  signature: str) -> bool:
    return _valid(secret, signature, "letter-upload", poc_id, letter_id, issued)
