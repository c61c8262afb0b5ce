"""The words and inline keyboards of a PoC's guided /assist (bot.chat.assist.conversation).

Every word is a macro of templates/assistance/en/telegram.html.j2, in the PoC's language
through the catalogue (domain "assistance"). Callback data is "pa:<question>:<answer>":

    pa:area:toggle:<area>   tick / untick an area     pa:area:done
    pa:weapon:<category>    nuclear, chemical, biological, delivery, or none
    pa:detail:skip          no details for this area
    pa:consent:yes|no       publication on the Committee's website
    pa:sum:send|edit|cancel the summary

Each question's handler accepts only its own prefix, so a button of an earlier question is
answered "already answered".
"""

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render.templates import macro
from storage.assistance.model import AssistanceArea, WeaponCategory

__all__ = ["STALE_PATTERN", "areas", "consent", "detail", "say", "summary", "weapons"]

TEMPLATE = "assistance/telegram.html.j2"
STALE_PATTERN = r"^pa:"  # every button of the conversation


def say(message: str, language: str, /, **params: Any) -> str:
    """The macro `message` of templates/assistance/en/telegram.html.j2 in `language`."""
    return macro(TEMPLATE, message, language, **params)


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def areas(chosen: list[str], language: str) -> InlineKeyboardMarkup:
    """Every area of the template, one a row (their names are long), the chosen ticked."""
    rows = [[_button(say("area_button", language, area=area.value,
                         ticked=area.value in chosen), f"pa:area:toggle:{area.value}")]
            for area in AssistanceArea]
    rows.append([_button(say("done_button", language), "pa:area:done")])
    return InlineKeyboardMarkup(rows)


def weapons(language: str) -> InlineKeyboardMarkup:
    buttons = [_button(say("weapon_button", language, weapon=weapon.value),
                       f"pa:weapon:{weapon.value}") for weapon in WeaponCategory]
    return InlineKeyboardMarkup([buttons[:2], buttons[2:],
                                 [_button(say("no_weapon_button", language), "pa:weapon:none")]])


def detail(language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(say("no_detail_button", language), "pa:detail:skip")]])


def consent(language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(say("yes_button", language), "pa:consent:yes")],
                                 [_button(say("no_button", language), "pa:consent:no")]])


def summary(language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(say("send_button", language), "pa:sum:send"),
                                  _button(say("edit_button", language), "pa:sum:edit"),
                                  _button(say("cancel_button", language), "pa:sum:cancel")]])
