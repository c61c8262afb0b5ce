"""The chat's handlers are tried in the order bot.chat.app documents: an update goes to the
first one that takes it, so the order decides who answers."""

from telegram.ext import CommandHandler, ConversationHandler

from bot.chat.app import handlers
from bot.chat.assistance import on_assist
from bot.chat.assistance_answers import on_answer_button
from bot.chat.letter_answers import on_letter_button
from bot.chat.log.guided import CONVERSATION_TIMEOUT
from bot.chat.poc import POC_COMMANDS
from bot.chat.replies import on_reply_button
from bot.chat.staff import COMMANDS, on_other_command, on_stray_text


def test_buttons_of_reminders_first_conversations_before_commands_catch_alls_last() -> None:
    order = handlers(CONVERSATION_TIMEOUT, persistent=False)
    assert getattr(order[0], "callback", None) is on_reply_button
    assert getattr(order[1], "callback", None) is on_answer_button  # assistance follow-ups
    assert getattr(order[2], "callback", None) is on_letter_button  # letters
    # then the staff's /assist, before whatever else takes /assist (a PoC's, which it
    # hands the PoC's updates to)
    assert getattr(order[3], "callback", None) is on_assist
    conversations = [i for i, handler in enumerate(order)
                     if isinstance(handler, ConversationHandler)]
    commands = [i for i, handler in enumerate(order)
                if isinstance(handler, CommandHandler) and i > 3]
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
