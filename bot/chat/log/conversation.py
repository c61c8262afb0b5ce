"""The guided /log: an outreach event logged question by question (bot/chat/log/conversation.mmd).

    /log  ->  title -> start date -> end date -> mode -> place -> type -> audiences
          ->  organisations' involvement -> organisers -> summary [Save | Edit | Cancel]

Dates are picked on a month grid or typed as YYYY-MM-DD; choices are buttons; the place
and the organisers are typed and resolved against the registry (storage.imports.common.
PartyFinder: "Cote d'Ivoire", "Turkey", "DPRK", ISO3 codes). Edit offers every field,
also the optional ones (participants, Committee role, source link, notes); the answer
returns to the summary. Save checks the row with the importer (bot.chat.log.rows): problems are
shown with the summary again and nothing is lost. /cancel ends it at any step; a
conversation left without an answer for `timeout` is dropped and the person is told.

Two more ways in: the Edit button of the one-line /log (callback "log:edit:<token>", the
draft of bot.chat.log.one_liner) and "event:edit:<event id>" (a stored event: Save amends it).
Staff and admins only: the others get the staff bot's refusal.

One conversation per person and chat (per_user, per_chat). Buttons are not tracked per
message (per_message=False): every state accepts only its own question's callback data
(bot.chat.log.keyboards), and a button of an earlier question is answered "already answered".
The questions and the typed answers' checks are in bot.chat.log.steps, the keyboards in
bot.chat.log.keyboards, the storage calls in bot.chat.log.rows.
The draft lives in application.bot_data, under the conversation's key, and with the
conversation's step survives a restart (bot.chat.persistence, GUIDED_KEY and
guided_codec). The timeout needs the application's JobQueue, whose jobs a restart loses: a
restored draft left unanswered for `timeout` is dropped at its next answer instead (its
`last_seen`), with the same words.
Every word comes from templates/chat/en/log_conversation.html.j2.
"""

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.chat.log import keyboards as keys
from bot.chat.log import rows
from bot.chat.log.keyboards import say
from bot.chat.log.one_liner import drafts_of
from bot.chat.log.steps import (
    EDITABLE,
    FREE_TEXT,
    GUIDE,
    Guided,
    Step,
    parse_day,
    take_date,
    take_text,
)
from bot.chat.persistence import Codec
from storage.events import Audience, CommitteeRole, EventMode, EventType, IroInvolvement
from storage.staff import StaffRole

__all__ = ["CONVERSATION_TIMEOUT", "GUIDED_KEY", "NAME", "Step", "add_log_conversation",
           "guided_codec", "log_conversation"]

log = logging.getLogger(__name__)

CONVERSATION_TIMEOUT = timedelta(minutes=10)
GUIDED_KEY = "guided_log_drafts"  # the key of application.bot_data holding the drafts
NAME = "guided_log"  # the ConversationHandler's name: its states are stored under it

App = Application[Any, Any, Any, Any, Any, Any]
Context = ContextTypes.DEFAULT_TYPE
StaffCheck = Callable[[Update], Awaitable[StaffRole | None]]
Key = tuple[int, int]  # (chat id, user id): the conversation's key


# The callback data each state takes (bot.chat.log.keyboards); text-only questions take none.
_BUTTONS = {
    Step.START_DATE: r"^lc:start:(day:\d{4}-\d{2}-\d{2}|month:\d{4}-\d{2})$",
    Step.END_DATE: r"^lc:end:(day:\d{4}-\d{2}-\d{2}|month:\d{4}-\d{2}|same)$",
    Step.MODE: r"^lc:mode:\w+$",
    Step.PLACE: r"^lc:skip:place$",
    Step.TYPE: r"^lc:type:\w+$",
    Step.AUDIENCES: r"^lc:aud:(toggle:\w+|done)$",
    Step.INVOLVEMENT: r"^lc:iro:\w+$",
    Step.ORGANISERS: r"^lc:skip:organisers$",
    Step.PARTICIPANTS: r"^lc:skip:participants$",
    Step.COMMITTEE_ROLE: r"^lc:role:\w+$",
    Step.SOURCE_URL: r"^lc:skip:source_url$",
    Step.NOTES: r"^lc:skip:notes$",
    Step.SUMMARY: r"^lc:sum:(save|edit|cancel)$",
    Step.EDIT_MENU: r"^lc:field:\w+$",
}


def _key(update: Update) -> Key | None:
    chat, user = update.effective_chat, update.effective_user
    return None if chat is None or user is None else (chat.id, user.id)


async def _quietly(call: Awaitable[Any]) -> None:
    """A Telegram call whose refusal (query too old, message not modified) changes nothing."""
    try:
        await call
    except TelegramError as error:
        log.warning("telegram /log conversation: call refused (%s)", type(error).__name__)


class _Conversation:
    """The handlers; the drafts are in application.bot_data under the conversation's key."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime], staff_role: StaffCheck,
                 timeout: timedelta) -> None:
        self.engine = engine
        self.clock = clock
        self.staff_role = staff_role
        self.timeout = timeout

    # -- the draft ------------------------------------------------------------------------

    def drafts(self, context: Context) -> dict[Key, Guided]:
        drafts: dict[Key, Guided] = context.bot_data.setdefault(GUIDED_KEY, {})
        return drafts

    def guided(self, update: Update, context: Context) -> Guided | None:
        key = _key(update)
        return None if key is None else self.drafts(context).get(key)

    def drop(self, update: Update, context: Context) -> Guided | None:
        key = _key(update)
        return None if key is None else self.drafts(context).pop(key, None)

    def expired(self, guided: Guided) -> bool:
        """Left unanswered too long: PTB's timeout job would have dropped it, had a restart
        not lost the job."""
        return guided.last_seen is not None and self.clock() - guided.last_seen >= self.timeout

    async def current(self, update: Update, context: Context) -> Guided | None:
        """The person's draft, marked as seen now; None (and the person told) if it expired,
        or if a restored step has no draft (one kept no longer, e.g. down past its timeout)."""
        guided = self.guided(update, context)
        if guided is None:
            await self.send(update, context, say("draft_gone"))
            return None
        if self.expired(guided):
            await self.on_timeout(update, context)
            return None
        guided.last_seen = self.clock()
        return guided

    def stay_or_end(self, update: Update, context: Context) -> object:
        """After a refused way in: a conversation under way goes on, else there is none."""
        return None if self.guided(update, context) is not None else ConversationHandler.END

    # -- what the person sees --------------------------------------------------------------

    async def send(self, update: Update, context: Context, text: str,
                   markup: InlineKeyboardMarkup | None = None) -> None:
        chat = update.effective_chat
        if chat is not None:
            await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML,
                                           reply_markup=markup)

    def picker(self, step: Step, month: date) -> InlineKeyboardMarkup:
        """The month grid of the start or the end date; the end's has "Same day" too."""
        if step is Step.START_DATE:
            return keys.month_picker("start", month, self.clock().date())
        return keys.month_picker("end", month, self.clock().date(),
                                 [keys.button(say("same_day_button"), "lc:end:same")])

    def question(self, step: Step, guided: Guided) -> tuple[str, InlineKeyboardMarkup | None]:
        row, today = guided.row, self.clock().date()
        start = parse_day(row.get("start_date", ""))
        if step is Step.START_DATE:
            return say("ask_start_date"), self.picker(step, start or today)
        if step is Step.END_DATE:
            end = parse_day(row.get("end_date", ""))
            return (say("ask_end_date", start=row.get("start_date", "")),
                    self.picker(step, end or start or today))
        if step is Step.PLACE:
            virtual = row.get("mode") == EventMode.VIRTUAL
            markup = keys.single(say("skip_button"), "lc:skip:place") if virtual else None
            return say("ask_place", virtual=virtual), markup
        if step in (Step.MODE, Step.TYPE, Step.INVOLVEMENT, Step.COMMITTEE_ROLE):
            name = {Step.MODE: "mode", Step.TYPE: "type", Step.INVOLVEMENT: "iro",
                    Step.COMMITTEE_ROLE: "role"}[step]
            return say(f"ask_{step.value}"), keys.choices(name)
        if step is Step.AUDIENCES:
            return say("ask_audiences"), keys.audiences(set(_items(row.get("audiences", ""))))
        if step is Step.ORGANISERS:
            return say("ask_organisers"), keys.single(say("skip_button"), "lc:skip:organisers")
        if step in (Step.PARTICIPANTS, Step.SOURCE_URL, Step.NOTES):
            return (say(f"ask_{step.value}"),
                    keys.single(say("clear_button"), f"lc:skip:{step.value}"))
        return say(f"ask_{step.value}"), None

    async def ask(self, update: Update, context: Context, step: Step, guided: Guided,
                  hint: str = "") -> Step:
        """Ask `step`'s question (after a hint when the last answer did not do)."""
        if step is Step.SUMMARY or step is Step.EDIT_MENU:
            return await self.show_summary(update, context, guided, hint=hint)
        text, markup = self.question(step, guided)
        await self.send(update, context, f"{hint}\n\n{text}" if hint else text, markup)
        return step

    async def show_summary(self, update: Update, context: Context, guided: Guided,
                           problems: list[str] | None = None, hint: str = "") -> Step:
        guided.editing = False
        text = say("summary", row=guided.row, country=guided.country,
                   event_id=guided.event_id, problems=problems or [])
        await self.send(update, context, f"{hint}\n\n{text}" if hint else text,
                        keys.summary_buttons())
        return Step.SUMMARY

    def following(self, done: Step, guided: Guided) -> Step:
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

    async def advance(self, update: Update, context: Context, done: Step,
                      guided: Guided) -> Step:
        return await self.ask(update, context, self.following(done, guided), guided)

    async def answered(self, update: Update, step: Step, answer: str) -> None:
        """The pressed question's message shows the answer, its buttons gone."""
        query = update.callback_query
        if query is not None:
            await _quietly(query.answer())
            await _quietly(query.edit_message_text(
                say("answered", field=step.value, answer=answer), parse_mode=ParseMode.HTML,
                reply_markup=None))

    # -- ways in ----------------------------------------------------------------------------

    async def on_new(self, update: Update, context: Context) -> object:
        key = _key(update)
        if await self.staff_role(update) is None or key is None:
            return self.stay_or_end(update, context)
        guided = Guided(last_seen=self.clock())
        self.drafts(context)[key] = guided
        log.info("telegram /log conversation started by user %s", key[1])
        return await self.ask(update, context, Step.TITLE, guided)

    async def on_edit_one_liner(self, update: Update, context: Context) -> object:
        query, key = update.callback_query, _key(update)
        if query is None or key is None or not isinstance(query.data, str):
            return self.stay_or_end(update, context)
        token = query.data.rsplit(":", 1)[1]
        one_liners = drafts_of(context.bot_data)
        draft = one_liners.get(token)
        if draft is None or draft.expires <= self.clock():
            one_liners.pop(token, None)
            await _quietly(query.answer())
            await _quietly(query.edit_message_text(say("draft_expired"), reply_markup=None))
            return self.stay_or_end(update, context)
        if draft.user_id != key[1]:
            log.info("telegram /log edit refused for user %s (not the author)", key[1])
            await _quietly(query.answer(text=say("not_your_draft")))
            return self.stay_or_end(update, context)
        await _quietly(query.answer())
        if await self.staff_role(update) is None:
            return self.stay_or_end(update, context)
        del one_liners[token]
        await _quietly(query.edit_message_reply_markup(reply_markup=None))
        guided = Guided(row=dict(draft.row), last_seen=self.clock())
        await self.resolve_country(guided)
        self.drafts(context)[key] = guided
        return await self.show_summary(update, context, guided)

    async def on_edit_event(self, update: Update, context: Context) -> object:
        query, key = update.callback_query, _key(update)
        if query is None or key is None or not isinstance(query.data, str):
            return self.stay_or_end(update, context)
        await _quietly(query.answer())
        if await self.staff_role(update) is None:
            return self.stay_or_end(update, context)
        event_id = int(query.data.rsplit(":", 1)[1])
        loaded = await asyncio.to_thread(rows.load_event, self.engine, event_id)
        if loaded is None:
            await self.send(update, context, say("event_gone", event_id=event_id))
            return self.stay_or_end(update, context)
        row, country = loaded
        guided = Guided(row=row, event_id=event_id, country=country, last_seen=self.clock())
        self.drafts(context)[key] = guided
        log.info("telegram /log conversation: user %s edits event %s", key[1], event_id)
        return await self.show_summary(update, context, guided)

    async def resolve_country(self, guided: Guided) -> None:
        """The one-liner's country as its ISO3 code, and its name for the summary."""
        typed = guided.row.get("country", "")
        if typed:
            found = await asyncio.to_thread(rows.state, self.engine, typed)
            if isinstance(found, rows.Country):
                guided.row["country"], guided.country = found.code, found.name

    # -- answers typed ------------------------------------------------------------------------

    def on_text(self, step: Step) -> Callable[[Update, Context], Coroutine[Any, Any, object]]:
        async def handler(update: Update, context: Context) -> object:
            guided = await self.current(update, context)
            message = update.effective_message
            if guided is None or message is None:
                return ConversationHandler.END
            text = (message.text or "").strip()
            hint = (await take_text(step, guided, text, self.engine, self.clock().date())
                    if step in FREE_TEXT else say("hint_buttons"))
            if hint:
                return await self.ask(update, context, step, guided, hint)
            return await self.advance(update, context, step, guided)
        return handler

    # -- buttons ------------------------------------------------------------------------------

    def on_press(self, step: Step) -> Callable[[Update, Context], Coroutine[Any, Any, object]]:
        async def handler(update: Update, context: Context) -> object:
            query = update.callback_query
            guided = await self.current(update, context)
            if query is None or not isinstance(query.data, str) or guided is None:
                return ConversationHandler.END
            _, kind, value = query.data.split(":", 2)
            return await self.take_press(update, context, step, guided, kind, value)
        return handler

    async def take_press(self, update: Update, context: Context, step: Step, guided: Guided,
                         kind: str, value: str) -> object:
        query = update.callback_query
        assert query is not None
        row = guided.row
        if kind in ("start", "end"):
            return await self.take_day(update, context, step, guided, value)
        if kind == "aud":
            chosen = set(_items(row.get("audiences", "")))
            if value == "done":
                row["audiences"] = ";".join(a.value for a in Audience if a.value in chosen)
                words = [say("audience_words", value=a) for a in _items(row["audiences"])]
                await self.answered(update, step, ", ".join(words) or say("none_chosen"))
                return await self.advance(update, context, step, guided)
            audience = value.removeprefix("toggle:")
            if audience in {a.value for a in Audience}:
                chosen ^= {audience}
                row["audiences"] = ";".join(a.value for a in Audience if a.value in chosen)
            await _quietly(query.answer())
            await _quietly(query.edit_message_reply_markup(reply_markup=keys.audiences(chosen)))
            return step
        if kind == "skip":
            if step is Step.PLACE and row.get("mode") != EventMode.VIRTUAL:
                await _quietly(query.answer())
                return await self.ask(update, context, step, guided, say("hint_needs_place"))
            if step is Step.PLACE:
                row.update(city="", country="")
                guided.country = ""
            else:
                row[step.value] = ""
            await self.answered(update, step, say("skipped"))
            return await self.advance(update, context, step, guided)
        if kind == "sum":
            return await self.take_summary(update, context, guided, value)
        if kind == "field":
            return await self.take_field(update, context, guided, value)
        return await self.take_choice(update, context, step, guided, kind, value)

    async def take_choice(self, update: Update, context: Context, step: Step, guided: Guided,
                          kind: str, value: str) -> object:
        choices: dict[str, tuple[str, list[str], str]] = {
            "mode": ("mode", [*EventMode], "mode_words"),
            "type": ("type", [*EventType], "type_words"),
            "iro": ("iro_involvement", [*IroInvolvement], "involvement_words"),
            "role": ("committee_role", [*CommitteeRole, "none"], "committee_role_words"),
        }
        column, allowed, words = choices[kind]
        if value not in allowed:
            return await self.on_stale(update, context)
        guided.row[column] = "" if value == "none" else value
        await self.answered(update, step, say(words, value=guided.row[column]))
        return await self.advance(update, context, step, guided)

    async def take_day(self, update: Update, context: Context, step: Step, guided: Guided,
                       value: str) -> object:
        query = update.callback_query
        assert query is not None
        action, _, when = value.partition(":")
        if action == "month":
            month = parse_day(f"{when}-01")
            await _quietly(query.answer())
            if month is not None:
                await _quietly(query.edit_message_reply_markup(
                    reply_markup=self.picker(step, month)))
            return step
        text = guided.row.get("start_date", "") if action == "same" else when
        hint = take_date(step, guided, text, self.clock().date())
        if hint:
            await _quietly(query.answer())
            return await self.ask(update, context, step, guided, hint)
        await self.answered(update, step, text)
        return await self.advance(update, context, step, guided)

    async def take_summary(self, update: Update, context: Context, guided: Guided,
                           action: str) -> object:
        query = update.callback_query
        assert query is not None
        title = guided.row.get("title", "")
        if action == "edit":
            await _quietly(query.answer())
            await _quietly(query.edit_message_reply_markup(
                reply_markup=keys.edit_menu([step.value for step in EDITABLE])))
            return Step.EDIT_MENU
        if action == "cancel":
            self.drop(update, context)
            await _quietly(query.answer())
            await _quietly(query.edit_message_text(say("cancelled", title=title),
                                                   parse_mode=ParseMode.HTML, reply_markup=None))
            return ConversationHandler.END
        return await self.save(update, context, guided)

    async def take_field(self, update: Update, context: Context, guided: Guided,
                         name: str) -> object:
        query = update.callback_query
        assert query is not None
        await _quietly(query.answer())
        if name == "back":
            await _quietly(query.edit_message_reply_markup(reply_markup=keys.summary_buttons()))
            return Step.SUMMARY
        step = next((step for step in EDITABLE if step.value == name), None)
        if step is None:
            return Step.EDIT_MENU
        await _quietly(query.edit_message_reply_markup(reply_markup=None))
        guided.editing = True
        return await self.ask(update, context, step, guided)

    async def save(self, update: Update, context: Context, guided: Guided) -> object:
        query, key = update.callback_query, _key(update)
        assert query is not None and key is not None
        if await self.staff_role(update) is None:
            await _quietly(query.answer())
            self.drop(update, context)
            return ConversationHandler.END
        try:
            saved = await asyncio.to_thread(rows.save, self.engine, dict(guided.row),
                                            guided.event_id, f"telegram:{key[1]}",
                                            self.clock())
        except Exception:
            log.exception("telegram /log by user %s: not saved", key[1])
            await _quietly(query.answer(text=say("failed")))
            return Step.SUMMARY
        await _quietly(query.answer())
        if saved.problems or saved.clash:
            await _quietly(query.edit_message_reply_markup(reply_markup=None))
            problems = saved.problems or [say("event_clash")]
            return await self.show_summary(update, context, guided, problems=problems)
        self.drop(update, context)
        title = guided.row.get("title", "")
        if saved.gone:
            text = say("event_gone", event_id=guided.event_id)
        elif not saved.changed:
            text = say("unchanged", title=title)
        else:
            text = say("saved" if guided.event_id is None else "amended", title=title)
        log.info("telegram /log by user %s: event %s %s", key[1], guided.event_id or "(new)",
                 "gone" if saved.gone else "saved" if saved.changed else "unchanged")
        await _quietly(query.edit_message_text(text, parse_mode=ParseMode.HTML,
                                               reply_markup=None))
        return ConversationHandler.END

    # -- ways out -----------------------------------------------------------------------------

    async def on_cancel(self, update: Update, context: Context) -> object:
        guided = self.drop(update, context)
        title = "" if guided is None else guided.row.get("title", "")
        await self.send(update, context, say("cancelled", title=title))
        return ConversationHandler.END

    async def on_timeout(self, update: Update, context: Context) -> None:
        guided = self.drop(update, context)
        if guided is None:  # a refused way in also starts PTB's timer: nothing to drop
            return
        key = _key(update)
        log.info("telegram /log conversation of user %s timed out",
                 None if key is None else key[1])
        minutes = round(self.timeout.total_seconds() / 60) or 1
        await _quietly(self.send(update, context, say(
            "timed_out", title=guided.row.get("title", ""), minutes=minutes)))

    async def on_stale(self, update: Update, context: Context) -> object:
        """A button of an earlier question, or of a conversation that is over."""
        query = update.callback_query
        if query is not None:
            await _quietly(query.answer(text=None if query.data == keys.NOOP
                                        else say("stale_button")))
        return None


def _items(value: str) -> list[str]:
    return [item for item in value.split(";") if item]


def log_conversation(engine: Engine, clock: Callable[[], datetime], staff_role: StaffCheck,
                     timeout: timedelta = CONVERSATION_TIMEOUT, persistent: bool = False
                     ) -> ConversationHandler[Any]:
    """The guided /log as one ConversationHandler (its states: Step; `persistent`: kept by
    the application's persistence under NAME)."""
    conversation = _Conversation(engine, clock, staff_role, timeout)
    typed = filters.UpdateType.MESSAGE & ~filters.COMMAND
    states: dict[object, list[Any]] = {}
    for step in Step:
        handlers: list[Any] = []
        if step in _BUTTONS:
            handlers.append(CallbackQueryHandler(conversation.on_press(step),
                                                 pattern=_BUTTONS[step]))
        handlers.append(MessageHandler(typed, conversation.on_text(step)))
        states[step] = handlers
    states[ConversationHandler.TIMEOUT] = [TypeHandler(Update, conversation.on_timeout)]
    with warnings.catch_warnings():
        # per_message=False on purpose: the typed answers need a conversation per person
        # and chat, and each state accepts only its own question's buttons (see above).
        warnings.filterwarnings("ignore", message=r"If 'per_message=False'",
                                category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                CommandHandler("log", conversation.on_new, has_args=False),
                CallbackQueryHandler(conversation.on_edit_one_liner,
                                     pattern=r"^log:edit:[A-Za-z0-9_-]{1,16}$"),
                CallbackQueryHandler(conversation.on_edit_event, pattern=r"^event:edit:\d{1,18}$"),
            ],
            states=states,
            fallbacks=[CommandHandler("cancel", conversation.on_cancel),
                       CallbackQueryHandler(conversation.on_stale, pattern=r"^lc:")],
            allow_reentry=True,
            per_chat=True,
            per_user=True,
            per_message=False,
            conversation_timeout=timeout,
            name=NAME,
            persistent=persistent,
        )


def add_log_conversation(application: App, engine: Engine, clock: Callable[[], datetime],
                         staff_role: StaffCheck,
                         timeout: timedelta = CONVERSATION_TIMEOUT) -> None:
    """Register the guided /log, and the answer to a button of a conversation that is over."""
    conversation = log_conversation(engine, clock, staff_role, timeout,
                                    persistent=application.persistence is not None)
    application.add_handler(conversation)

    async def on_orphan(update: Update, context: Context) -> None:
        query = update.callback_query
        if query is not None:
            await _quietly(query.answer(text=None if query.data == keys.NOOP
                                        else say("stale_button")))

    application.add_handler(CallbackQueryHandler(on_orphan, pattern=r"^lc:"))


def guided_codec(timeout: timedelta = CONVERSATION_TIMEOUT) -> Codec:
    """The drafts as JSON by "chat,user"; a draft unanswered for `timeout` is not written
    (one read back is still kept: its next answer says it timed out)."""

    def encode(drafts: dict[Key, Guided], now: datetime) -> dict[str, Any] | None:
        kept = {f"{chat},{user}": guided.to_dict() for (chat, user), guided in drafts.items()
                if guided.last_seen is None or now - guided.last_seen < timeout}
        return kept or None

    def decode(stored: dict[str, Any], now: datetime) -> dict[Key, Guided]:
        drafts: dict[Key, Guided] = {}
        for key, value in stored.items():
            chat, user = key.split(",")
            drafts[(int(chat), int(user))] = Guided.from_dict(value)
        return drafts

    return Codec(encode=encode, decode=decode)
