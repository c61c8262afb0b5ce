"""Signed links a PoC can follow without logging in: unsubscribe, answers to reminders, to
assistance follow-ups and to letters that expect a response, the assistance request form."""

import hashlib
import hmac
from collections.abc import Iterable
from datetime import date


def _signature(secret: str, purpose: str, *parts: object) -> str:
    payload = ":".join([purpose, *map(str, parts)]).encode()
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()[:32]


def _valid(secret: str, signature: str, purpose: str, *parts: object) -> bool:
    return hmac.compare_digest(_signature(secret, purpose, *parts), signature)


def unsubscribe_url(public_url: str, secret: str, poc_id: int) -> str:
    return f"{public_url.rstrip('/')}/unsubscribe/{poc_id}/{_signature(secret, 'unsub', poc_id)}"


def unsubscribe_signature_valid(secret: str, poc_id: int, signature: str) -> bool:
    return _valid(secret, signature, "unsub", poc_id)


def answer_urls(public_url: str, secret: str, path: str, delivery_id: int,
                answers: Iterable[str]) -> dict[str, str]:
    """One link per answer a PoC can give to the message of this delivery: the answer kinds
    of bot.delivery.answer_kinds, "/<path>/<delivery id>/<answer>/<signature>" (the path is
    signed, so one kind's link never answers for another)."""
    base = public_url.rstrip("/")
    return {answer: f"{base}/{path}/{delivery_id}/{answer}/"
                    f"{_signature(secret, path, delivery_id, answer)}"
            for answer in answers}


def answer_signature_valid(secret: str, path: str, delivery_id: int, answer: str,
                           signature: str) -> bool:
    return _valid(secret, signature, path, delivery_id, answer)


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
