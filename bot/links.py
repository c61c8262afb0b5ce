"""Signed links a PoC can follow without logging in (one-click unsubscribe)."""

import hashlib
import hmac


def _signature(secret: str, purpose: str, poc_id: int) -> str:
    digest = hmac.new(secret.encode(), f"{purpose}:{poc_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def unsubscribe_url(public_url: str, secret: str, poc_id: int) -> str:
    return f"{public_url.rstrip('/')}/unsubscribe/{poc_id}/{_signature(secret, 'unsub', poc_id)}"


def unsubscribe_signature_valid(secret: str, poc_id: int, signature: str) -> bool:
    return hmac.compare_digest(_signature(secret, "unsub", poc_id), signature)
