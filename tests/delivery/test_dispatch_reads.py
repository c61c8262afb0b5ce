"""The dispatcher reads each batch afresh (plain rows, statements built once): a broadcast larger
than a batch reaches everyone once, and a PoC's details changed while it goes out are what
the deliveries read after the change carry (nothing kept from an earlier batch)."""

import asyncio
from dataclasses import dataclass, replace

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.channels.contract import OutgoingEmail, OutgoingTelegram, SendResult
from bot.delivery.dispatcher import Dispatcher
from storage import pocs
from storage.outbox import Delivery, DeliveryState
from tests.support.outbox import NOW, ScriptedSender, add_poc, invent_pocs, queue


def test_a_broadcast_larger_than_a_batch_reaches_everyone_once(
    engine: Engine, session: Session
) -> None:
    queue(session, invent_pocs(session, 11))
    email = ScriptedSender()
    dispatcher = Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                            clock=lambda: NOW, batch_size=3, window=2)

    stats = asyncio.run(dispatcher.run_once())

    assert stats.sent == 11
    addresses = [item.to[0] for item in email.sent if isinstance(item, OutgoingEmail)]
    assert sorted(addresses) == sorted(f"person{n}@example.org" for n in range(11))
    session.expire_all()
    rows = session.exec(select(Delivery)).all()
    assert {row.state for row in rows} == {DeliveryState.SENT}
    assert all(row.attempts == 1 and row.lease_owner is None for row in rows)


@dataclass
class EditingSender(ScriptedSender):
    """While the first message goes out, staff rename the second PoC and change their
    address (on a connection of their own, as the web pages would)."""

    engine: Engine | None = None
    poc_id: int = 0

    async def send(self, item: OutgoingEmail | OutgoingTelegram) -> SendResult:
        if not self.sent:
            assert self.engine is not None
            with Session(self.engine) as staff:
                poc = pocs.get(session=staff, poc_id=self.poc_id)
                assert poc is not None
                fields = replace(pocs.fields_of(session=staff, poc=poc),
                                 full_name="Renamed Example-Test",
                                 emails=("renamed@example.org",))
                pocs.update(session=staff, poc=poc, actor="test", fields=fields, now=NOW)
                staff.commit()
        return await super().send(item)


def test_a_poc_edited_during_a_broadcast_gets_their_new_name_and_address(
    engine: Engine, session: Session
) -> None:
    first = add_poc(session, "FRA", "Claire Example-Test", "claire@example.org")
    second = add_poc(session, "KEN", "Wanjiru Example-Test", "wanjiru@example.org")
    queue(session, [first, second])
    email = EditingSender(engine=engine, poc_id=second)
    dispatcher = Dispatcher(engine=engine, email=email, telegram=None, owner="test-1",
                            clock=lambda: NOW, batch_size=1, window=1)

    assert asyncio.run(dispatcher.run_once()).sent == 2

    mails = [item for item in email.sent if isinstance(item, OutgoingEmail)]
    assert [mail.to for mail in mails] == [("claire@example.org",), ("renamed@example.org",)]
    assert "Renamed Example-Test" in mails[1].text
    assert "Wanjiru" not in mails[1].text
