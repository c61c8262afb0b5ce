"""The dispatcher renders a broadcast once per language and fills in each PoC's name and
links: every PoC still reads exactly what a full render for them gives (their name, their
unsubscribe link, their State in their language), names with HTML's characters included."""

import asyncio
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.channels.contract import OutgoingEmail
from bot.delivery.dispatcher import Dispatcher, LinkSettings
from bot.render import message_fill
from bot.render.messages import render_message, render_parts
from bot.web.links import unsubscribe_url
from tests.support.outbox import NOW, ScriptedSender, add_poc, queue

LINKS = LinkSettings(public_url="https://outreach.example.org", secret="spec-secret",
                     message_id_domain="outreach.example.org")
PEOPLE = [  # (party, name, address, language): invented
    ("FRA", "Zoé <Example> & 'Test'", "zoe@example.org", "fr"),
    ("FRA", "Paul \"Example\" Test", "paul@example.org", "fr"),
    ("KEN", "Wanjiru Example-Test", "wanjiru@example.org", "en"),
    ("BRA", "Ana Example-Test", "ana@example.org", "en"),
    ("OMN", "سالم التجربة", "salim@example.org", "ar"),
    ("OMN", "Salim & Co <Test>", "salim2@example.org", "ar"),
]


def test_each_poc_reads_their_own_full_render_of_a_broadcast_rendered_once_per_language(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    renders: list[str] = []
    original = render_parts

    def counted(template: str, language: str, *args: Any) -> Any:
        renders.append(language)
        return original(template, language, *args)

    monkeypatch.setattr(message_fill, "render_parts", counted)
    ids = {add_poc(session, party, name, address, language=language): (party, name, address)
           for party, name, address, language in PEOPLE}
    queue(session, list(ids), template="contact_check")
    email = ScriptedSender()
    dispatcher = Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                            clock=lambda: NOW, links=LINKS, window=2)
    stats = asyncio.run(dispatcher.run_once())
    assert stats.sent == len(PEOPLE)

    sent = [item for item in email.sent if isinstance(item, OutgoingEmail)]
    by_address = {item.to[0]: item for item in sent}
    for (poc_id, (party, name, address)), (*_, language) in zip(ids.items(), PEOPLE,
                                                                strict=True):
        party_name = {"FRA": "France", "KEN": "Kenya", "BRA": "Brazil", "OMN": "Oman"}[party]
        context = {"poc": {"full_name": name, "title": "", "emails": [address]},
                   "party": {"code": party, "name": party_name}, "message": {}}
        link = unsubscribe_url(LINKS.public_url or "", LINKS.secret or "", poc_id)
        full = render_message("contact_check", language, context, link, channel="email")
        mail = by_address[address]
        assert (mail.subject, mail.text, mail.html) == (full.subject, full.text, full.html)
        assert mail.unsubscribe_url == link
    # each language: one full render (the check of its first PoC) and two with stand-ins
    assert sorted(renders) == sorted(["fr", "en", "ar"] * 3)
