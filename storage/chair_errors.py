"""What storage.chair (and storage.chair_release) refuse, each with a `code` and `params`:
the words a person reads live in templates/cli/<language>/chair.j2 and
templates/chat/<language>/chair.html.j2, never here. Importable from storage.chair too."""

from typing import ClassVar

__all__ = [
    "CancelRefused",
    "ChairError",
    "EmptyAudience",
    "IncompleteBody",
    "InvalidLanguage",
    "MessageNotFound",
    "MissingEnglish",
    "NotApprovable",
    "NotEditable",
    "RetryRefused",
    "SelfApproval",
    "StaleRevision",
    "SubjectTooLong",
    "TelegramTooLong",
]


class ChairError(Exception):
    """A refused operation; `code` names a macro in templates/cli/<lang>/chair.j2."""

    code: ClassVar[str] = "chair_error"

    def __init__(self, message_id: int | None, **params: str) -> None:
        self.message_id = message_id
        self.params = {"id": str(message_id), **params}
        super().__init__(f"{self.code} {self.params}")


class MessageNotFound(ChairError):
    code = "chair_not_found"


class NotEditable(ChairError):
    """Released, sent or cancelled: the text can no longer change."""

    code = "chair_not_editable"


class InvalidLanguage(ChairError):
    code = "chair_invalid_language"


class SubjectTooLong(ChairError):
    code = "chair_subject_too_long"


class NotApprovable(ChairError):
    """Not a draft (already approved, released or cancelled)."""

    code = "chair_not_approvable"


class SelfApproval(ChairError):
    code = "chair_self_approval"


class MissingEnglish(ChairError):
    code = "chair_missing_english"


class IncompleteBody(ChairError):
    """A language has a subject without text or text without a subject."""

    code = "chair_incomplete_body"


class EmptyAudience(ChairError):
    code = "chair_empty_audience"


class TelegramTooLong(ChairError):
    """A language's Telegram message exceeds what Telegram accepts while PoCs would get it
    there: approving would queue deliveries bound to fail (checked by bot.render.previews,
    which renders the message)."""

    code = "chair_telegram_too_long"


class StaleRevision(ChairError):
    """The message changed after the approver looked at it."""

    code = "chair_stale_revision"


class CancelRefused(ChairError):
    code = "chair_cancel_refused"


class RetryRefused(ChairError):
    code = "chair_retry_refused"
