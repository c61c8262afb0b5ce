"""Files sent with an e-mail: the text and HTML alternatives become the first part of a
multipart/mixed message, each file a part after them (base64, `Content-Disposition:
attachment` with the name the recipient sees, RFC 2231-encoded when it is not ASCII).

Kept apart from mime.py, which calls `attach` only for a message that has attachments; the
per-message template (mime_template.py) leaves those to build_mime.
"""

from email.message import EmailMessage

from bot.channels.contract import Attachment

__all__ = ["CONTENT_TYPES", "attach"]

# the documents the tool sends (storage.inbox.model.DocumentType), by their detected type
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _safe_name(name: str) -> str:
    """The file name without what could break a header or name a path."""
    cleaned = "".join(c for c in name if c.isprintable() and c not in '/\\"\r\n')
    return cleaned.strip() or "document"


def attach(message: EmailMessage, attachments: tuple[Attachment, ...]) -> None:
    """Add each file to `message` (which holds its bodies already): multipart/mixed."""
    for item in attachments:
        maintype, _, subtype = item.content_type.partition("/")
        message.add_attachment(item.data, maintype=maintype, subtype=subtype or "octet-stream",
                               filename=_safe_name(item.filename))
