"""The chat's handlers are tried in the order bot.chat.app documents: an update goes to the
first one that takes it, so the order decides who answers."""

from datetime import UTC, datetime

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.chat.answers import on_answer_button
from bot.chat.app import handlers
from bot.chat.assistance import on_assist
from bot.chat.log.guided import CONVERSATION_TIMEOUT
from bot.chat.poc import POC_COMMANDS
from bot.chat.staff import COMMANDS, on_other_command, on_stray_text


def test_buttons_of_reminders_first_conversations_before_commands_catch_alls_last() -> None:
    order = handlers(CONVERSATION_TIMEOUT, persistent=False)
    # every kind of answer button (reminders, assistance follow-ups, letters), first
    first = order[0]
    assert isinstance(first, CallbackQueryHandler) and first.callback is on_answer_button
    assert all(first.check_update(_press(data)) for data in ("r:7:received", "af:7:met",
                                                              "lt:7:promise"))
    assert not first.check_update(_press("lt:7:met"))  # another kind's answer
    # then the staff's /assist, before whatever else takes /assist (a PoC's, which it
    # hands the PoC's updates to)
    assert getattr(order[1], "callback", None) is on_assist
    conversations = [i for i, handler in enumerate(order)
                     if isinstance(handler, ConversationHandler)]
    commands = [i for i, handler in enumerate(order)
                if isinstance(handler, CommandHandler) and i > 1]
    # the guided /log, the Chair's drafts and a PoC's /submit
    assert len(conversations) == 3 and max(conversations) < min(commands)
    assert [getattr(handler, "callback", None) for handler in order[-2:]] == [
        on_other_command, on_stray_text]
    handled = {name for handler in order if isinstance(handler, CommandHandler)
               for name in handler.commands}
    entered = {name for handler in order if isinstance(handler, ConversationHandler)
               for entry in handler.entry_points if isinstance(entry, CommandHandler)
               for name in entry.commands}
    assert handled | entered == set(COMMANDS) | set(POC_COMMANDS)


def _press(data: str) -> Update:
    user = User(1, "Test", is_bot=False)
    message = Message(1, datetime(2026, 1, 1, tzinfo=UTC), Chat(1, "private"))
    return Update(1, callback_query=CallbackQuery("1", user, "1", message=message, data=data))
