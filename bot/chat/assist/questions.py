"""What a PoC's guided /assist asks, in which order, and how an answer's message is shown
(bot/chat/assist/conversation.mmd).

    areas (toggle, Done) -> for each area: weapon category -> details -> consent -> summary

The words are the PoC's language (the draft's), from templates/assistance/en/telegram.html.j2.
"""

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.chat import common
from bot.chat.assist import keyboards as keys
from bot.chat.assist.draft import Draft, Step
from bot.chat.assist.keyboards import say
from bot.chat.common import answer, edit
from storage.assistance.model import DETAIL_MAX

__all__ = ["answered", "ask", "following", "tell"]

Context = ContextTypes.DEFAULT_TYPE


async def tell(update: Update, context: Context, text: str,
               markup: InlineKeyboardMarkup | None = None) -> None:
    """A new message in the conversation's chat."""
    chat = update.effective_chat
    if chat is not None:
        await common.send(context.bot, chat.id, text, markup)


def question(step: Step, draft: Draft) -> tuple[str, InlineKeyboardMarkup]:
    language = draft.language
    if step is Step.AREAS:
        return say("ask_areas", language, party=draft.party), keys.areas(draft.areas, language)
    if step is Step.WEAPON:
        return say("ask_weapon", language, area=draft.area), keys.weapons(language)
    if step is Step.DETAIL:
        return (say("ask_detail", language, area=draft.area, limit=DETAIL_MAX),
                keys.detail(language))
    if step is Step.CONSENT:
        return say("ask_consent", language), keys.consent(language)
    needs = [{"area": need.area, "weapon": need.weapon, "detail": need.detail}
             for need in draft.needs()]
    return (say("summary", language, party=draft.party, needs=needs, consent=draft.consent),
            keys.summary(language))


async def ask(update: Update, context: Context, step: Step, draft: Draft,
              hint: str = "") -> Step:
    """Ask `step`'s question (after a hint when the last answer did not do)."""
    text, markup = question(step, draft)
    await tell(update, context, f"{hint}\n\n{text}" if hint else text, markup)
    return step


def following(done: Step, draft: Draft) -> Step:
    """The question after `done`: each area's weapon and details in turn, then consent."""
    if done is Step.AREAS:
        draft.current = 0
        return Step.WEAPON
    if done is Step.WEAPON:
        return Step.DETAIL
    if done is Step.DETAIL:
        draft.current += 1
        return Step.WEAPON if draft.current < len(draft.areas) else Step.CONSENT
    return Step.SUMMARY


async def answered(update: Update, draft: Draft, words: str, area: str = "") -> None:
    """The pressed question's message shows the answer (and the area asked about), its
    buttons gone."""
    query = update.callback_query
    if query is not None:
        await answer(query)
        await edit(query, say("answered", draft.language, answer=words, area=area))
