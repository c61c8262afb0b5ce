"""The inline keyboards of the guided /log (bot.chat.log.conversation), and its words.

Callback data is "lc:<question>:<answer>", at most 64 bytes as Telegram requires:

    lc:start:month:2022-03   show March 2022 in the start date's picker
    lc:start:day:2022-03-14  the start date        lc:end:...  the same for the end date
    lc:end:same              the end is the start  lc:mode:virtual, lc:type:workshop, ...
    lc:aud:toggle:industry   tick / untick          lc:aud:done
    lc:skip:<question>       no answer (place of a virtual event, organisers, extras)
    lc:sum:save|edit|cancel  the summary            lc:field:<question>|back  the Edit menu
    lc:noop                  a cell of the calendar that is not a day

Each question's handler accepts only its own prefix, so a button of an earlier question
is answered "already answered" instead of changing the current one.
"""

import calendar
from datetime import date
from functools import partial

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.chat import common
from storage.events import (
    Audience,
    CommitteeRole,
    EventMode,
    EventType,
    IroInvolvement,
    LeadBody,
)

__all__ = ["NOOP", "audiences", "button", "choices", "edit_menu", "month_picker", "say", "single",
           "summary_buttons"]

NOOP = "lc:noop"
_BLANK = " "  # a calendar cell that is not a day (Telegram refuses an empty label)
_PER_ROW = 2  # choice buttons a row: the labels stay readable on a phone


say = partial(common.say, "log_conversation")  # templates/chat/en/log_conversation.html.j2


def button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def _rows(buttons: list[InlineKeyboardButton], per_row: int = _PER_ROW
          ) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + per_row] for i in range(0, len(buttons), per_row)]


def _month(month: date, step: int) -> date:
    index = month.year * 12 + month.month - 1 + step
    return date(index // 12, index % 12 + 1, 1)


def month_picker(question: str, month: date, today: date,
                 extra: list[InlineKeyboardButton] | None = None) -> InlineKeyboardMarkup:
    """A month of days to press for `question` ("start" or "end"), with the previous and
    next months; days after `today` and months after its month are not offered."""
    first = month.replace(day=1)
    previous, following = _month(first, -1), _month(first, 1)
    later = following <= today
    rows = [[
        button(say("previous_month"), f"lc:{question}:month:{previous:%Y-%m}"),
        button(say("month_title", year=first.year, month=first.month), NOOP),
        button(say("next_month") if later else _BLANK,
                f"lc:{question}:month:{following:%Y-%m}" if later else NOOP),
    ], [button(name, NOOP) for name in say("weekdays").split()]]
    for week in calendar.Calendar().monthdayscalendar(first.year, first.month):
        cells = []
        for day in week:
            when = first.replace(day=day) if day else None
            if when is None or when > today:
                cells.append(button(_BLANK, NOOP))
            else:
                cells.append(button(str(day), f"lc:{question}:day:{when.isoformat()}"))
        rows.append(cells)
    if extra:
        rows.append(extra)
    return InlineKeyboardMarkup(rows)


def single(label: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(label, data)]])


def choices(question: str) -> InlineKeyboardMarkup:
    """One button per value of the question's enumeration."""
    if question == "mode":
        values, words = list(EventMode), "mode_words"
    elif question == "type":
        values, words = list(EventType), "type_words"
    elif question == "iro":
        values, words = list(IroInvolvement), "involvement_words"
    elif question == "lead":
        values, words = list(LeadBody), "lead_body_words"
    else:  # "role": the Committee's role, or none
        values, words = list(CommitteeRole), "committee_role_words"
    buttons = [button(say(words, value=value.value), f"lc:{question}:{value.value}")
               for value in values]
    if question == "role":
        buttons.append(button(say("no_role_button"), "lc:role:none"))
    return InlineKeyboardMarkup(_rows(buttons, 3 if question != "type" else _PER_ROW))


def audiences(chosen: set[str]) -> InlineKeyboardMarkup:
    """Every audience, the chosen ones ticked, and Done."""
    buttons = []
    for audience in Audience:
        label = say("audience_words", value=audience.value)
        if audience.value in chosen:
            label = say("ticked", label=label)
        buttons.append(button(label, f"lc:aud:toggle:{audience.value}"))
    return InlineKeyboardMarkup([*_rows(buttons), [button(say("done_button"), "lc:aud:done")]])


def summary_buttons() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        button(say("save_button"), "lc:sum:save"),
        button(say("edit_button"), "lc:sum:edit"),
        button(say("cancel_button"), "lc:sum:cancel"),
    ]])


def edit_menu(fields: list[str]) -> InlineKeyboardMarkup:
    """A button per field that can be changed, and the way back to the summary."""
    buttons = [button(say("field_words", field=name), f"lc:field:{name}") for name in fields]
    return InlineKeyboardMarkup([*_rows(buttons), [button(say("back_button"),
                                                           "lc:field:back")]])
