"""The staff's assistance commands in the chat (issue 14).

    /assist STATE      the State's requests: needs (area, weapon), step and days at it,
                       confirmation, publication, offers (provider, status)
    /requests [area]   the open requests (of one area of the assistance template), oldest
                       first, five a page, ◀ / ▶ to page
      Confirm #N       a PoC's request counts once staff confirm it
      #N → step        the procedure's next step (met / partly met once in progress)
      Publish #N       on the website's list: only with the State's consent
    (matching with a provider, withdrawing and lapsing: `outreach assistance`)

Only staff and admins: a stranger is refused by bot.chat.access. /assist is also a PoC's
command (their own State's request, bot.chat.assist): this handler comes first in
bot.chat.app and hands anyone who is not staff on to the next handler that takes the
update (pass_on), so a PoC's /assist reaches theirs. Each button press checks the presser's
role again and is written with the actor "telegram:<user id>", audited by storage; the
pop-up says what was done, or why nothing was (an AssistanceError's sentence, a request
that moved since the list was shown, a button no longer valid), and the message shows the
page again as it now stands. Logs name the Telegram user id and the request id only.
Words: templates/chat/<language>/assistance.html.j2; database calls in a worker thread.
"""

import asyncio
import logging

from telegram import CallbackQuery, Update
from telegram.ext import Application, ContextTypes

from bot.chat.access import is_member, role_of_sender, staff_role
from bot.chat.assistance_views import (
    ACTION_PATTERN,
    PAGE_PATTERN,
    STALE_PATTERN,
    Press,
    act,
    known_area,
    parse_page,
    requests_page,
    state_view,
    unknown_area,
)
from bot.chat.common import answer, edit, reply, say, services

__all__ = ["ACTION_PATTERN", "ASSISTANCE_COMMANDS", "PAGE_PATTERN", "STALE_PATTERN",
           "on_action", "on_assist", "on_page", "on_requests", "on_stale", "pass_on"]

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE

ASSISTANCE_COMMANDS = ("assist", "requests")  # staff's, described in assistance.html.j2


async def pass_on(update: Update, context: Context, after: object) -> bool:
    """Hand the update to the first handler listed after the one whose callback is `after`
    that takes it, as if this one had not (python-telegram-bot gives an update to one
    handler of a group only). False when none does."""
    application: Application = context.application  # type: ignore[type-arg]
    for handlers in application.handlers.values():
        later = False
        for handler in handlers:
            if not later:
                later = getattr(handler, "callback", None) is after
                continue
            check = handler.check_update(update)
            if check is not None and check is not False:
                await handler.handle_update(update, application, check, context)
                return True
    return False


async def on_assist(update: Update, context: Context) -> None:
    """/assist STATE for staff; anyone else's /assist goes on to the next handler."""
    if await role_of_sender(update, context) is None:
        if not await pass_on(update, context, on_assist):
            await staff_role(update, context)  # nobody else takes it: the refusal
        return
    value = " ".join(context.args or []).strip()
    if not value:
        await reply(update, say("assistance", "assist_usage"))
        return
    found = services(context)
    await reply(update, await asyncio.to_thread(state_view, found.engine, value,
                                                found.clock().date()))


async def on_requests(update: Update, context: Context) -> None:
    """/requests [area]: the first page of open requests."""
    if await staff_role(update, context) is None:
        return
    args = list(context.args or [])
    area = args[0].lower() if args else None
    if len(args) > 1 or (area is not None and not known_area(area)):
        await reply(update, unknown_area(" ".join(args)))
        return
    found = services(context)
    shown = await asyncio.to_thread(requests_page, found.engine, area, 0,
                                    found.clock().date())
    await reply(update, shown.text, shown.markup)


async def _member(query: CallbackQuery, context: Context) -> bool:
    user_id = query.from_user.id
    if await is_member(context, user_id):
        return True
    log.info("telegram /requests button refused for user %s", user_id)
    await answer(query, say("assistance", "buttons_refused"))
    return False


async def _show_page(query: CallbackQuery, context: Context, area: str | None,
                     offset: int) -> None:
    found = services(context)
    shown = await asyncio.to_thread(requests_page, found.engine, area, offset,
                                    found.clock().date())
    await edit(query, shown.text, shown.markup)


async def on_page(update: Update, context: Context) -> None:
    """◀ / ▶ (PAGE_PATTERN): the same message shows the previous or next page."""
    query = update.callback_query
    if query is None or not isinstance(query.data, str) or not await _member(query, context):
        return
    parsed = parse_page(query.data)
    if parsed is None or (parsed[0] is not None and not known_area(parsed[0])):
        await answer(query, say("assistance", "stale_button"))
        return
    await answer(query)
    await _show_page(query, context, *parsed)


async def on_action(update: Update, context: Context) -> None:
    """Confirm, a step or Publish (ACTION_PATTERN): done, answered, the page refreshed."""
    query = update.callback_query
    if query is None or not isinstance(query.data, str) or not await _member(query, context):
        return
    press = Press.parse(query.data)
    if press is None or (press.area is not None and not known_area(press.area)):
        await answer(query, say("assistance", "stale_button"))
        return
    user_id = query.from_user.id
    found = services(context)
    said = await asyncio.to_thread(act, found.engine, press, f"telegram:{user_id}",
                                   found.clock())
    log.info("telegram /requests button by user %s: request %s, action %s", user_id,
             press.request_id, press.action)
    await answer(query, said)
    await _show_page(query, context, press.area, press.offset)


async def on_stale(update: Update, context: Context) -> None:
    """Any other button of ours (STALE_PATTERN): it no longer works; say so."""
    query = update.callback_query
    if query is not None and await _member(query, context):
        await answer(query, say("assistance", "stale_button"))
