"""What a guided /log shows: each question with its buttons, the summary, and which question
comes next (bot/chat/log/conversation.mmd).

A new event goes through the questions in order (bot.chat.log.steps.GUIDE); an answer can
make another question necessary (an end date before a new start date, a place for an event
that is not virtual); after an Edit the summary follows the one question asked. Every word
comes from templates/chat/en/log_conversation.html.j2, the keyboards from
bot.chat.log.keyboards.
"""

from datetime import date

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.chat import common
from bot.chat.common import answer, edit, services
from bot.chat.log import keyboards as keys
from bot.chat.log.keyboards import say
from bot.chat.log.steps import GUIDE, Guided, Step, parse_day
from storage.events import EventMode

__all__ = ["advance", "answered", "ask", "items", "picker", "question", "show_summary",
           "tell"]

Context = ContextTypes.DEFAULT_TYPE

# The questions answered by a choice of buttons, and the keyboard each one shows.
_CHOICES = {Step.MODE: "mode", Step.TYPE: "type", Step.INVOLVEMENT: "iro",
            Step.COMMITTEE_ROLE: "role", Step.LEAD_BODY: "lead"}


def items(value: str) -> list[str]:
    """The values of a row's list column ("a;b")."""
    return [item for item in value.split(";") if item]


async def tell(update: Update, context: Context, text: str,
               markup: InlineKeyboardMarkup | None = None) -> None:
    """A new message in the conversation's chat (also after a press: the question after it)."""
    chat = update.effective_chat
    if chat is not None:
        await common.send(context.bot, chat.id, text, markup)


def picker(step: Step, month: date, today: date) -> InlineKeyboardMarkup:
    """The month grid of the start or the end date; the end's has "Same day" too."""
    if step is Step.START_DATE:
        return keys.month_picker("start", month, today)
    return keys.month_picker("end", month, today,
                             [keys.button(say("same_day_button"), "lc:end:same")])


def question(step: Step, guided: Guided, today: date) -> tuple[str, InlineKeyboardMarkup | None]:
    row = guided.row
    start = parse_day(row.get("start_date", ""))
    if step is Step.START_DATE:
        return say("ask_start_date"), picker(step, start or today, today)
    if step is Step.END_DATE:
        end = parse_day(row.get("end_date", ""))
        return (say("ask_end_date", start=row.get("start_date", "")),
                picker(step, end or start or today, today))
    if step is Step.PLACE:
        virtual = row.get("mode") == EventMode.VIRTUAL
        markup = keys.single(say("skip_button"), "lc:skip:place") if virtual else None
        return say("ask_place", virtual=virtual), markup
    if step in _CHOICES:
        return say(f"ask_{step.value}"), keys.choices(_CHOICES[step])
    if step is Step.AUDIENCES:
        return say("ask_audiences"), keys.audiences(set(items(row.get("audiences", ""))))
    if step is Step.ORGANISERS:
        return say("ask_organisers"), keys.single(say("skip_button"), "lc:skip:organisers")
    if step in (Step.PARTICIPANTS, Step.SOURCE_URL, Step.NOTES):
        return (say(f"ask_{step.value}"),
                keys.single(say("clear_button"), f"lc:skip:{step.value}"))
    return say(f"ask_{step.value}"), None


async def ask(update: Update, context: Context, step: Step, guided: Guided,
              hint: str = "") -> Step:
    """Ask `step`'s question (after a hint when the last answer did not do)."""
    if step is Step.SUMMARY or step is Step.EDIT_MENU:
        return await show_summary(update, context, guided, hint=hint)
    text, markup = question(step, guided, services(context).clock().date())
    await tell(update, context, f"{hint}\n\n{text}" if hint else text, markup)
    return step


async def show_summary(update: Update, context: Context, guided: Guided,
                       problems: list[str] | None = None, hint: str = "") -> Step:
    guided.editing = False
    text = say("summary", row=guided.row, country=guided.country,
               event_id=guided.event_id, problems=problems or [])
    await tell(update, context, f"{hint}\n\n{text}" if hint else text, keys.summary_buttons())
    return Step.SUMMARY


def following(done: Step, guided: Guided) -> Step:
    """The question after `done`: the guide's next, or the summary after an Edit, unless
    the answer makes another question necessary."""
    row = guided.row
    start, end = parse_day(row.get("start_date", "")), parse_day(row.get("end_date", ""))
    if done is Step.START_DATE and end is not None and start is not None and end < start:
        return Step.END_DATE
    if (done is Step.MODE and row.get("mode") != EventMode.VIRTUAL
            and not row.get("country")):
        return Step.PLACE
    if guided.editing or done not in GUIDE:
        return Step.SUMMARY
    return GUIDE[GUIDE.index(done) + 1]


async def advance(update: Update, context: Context, done: Step, guided: Guided) -> Step:
    return await ask(update, context, following(done, guided), guided)


async def answered(update: Update, step: Step, answer_words: str) -> None:
    """The pressed question's message shows the answer, its buttons gone."""
    query = update.callback_query
    if query is not None:
        await answer(query)
        await edit(query, say("answered", field=step.value, answer=answer_words))
