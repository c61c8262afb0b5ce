"""Everything python-telegram-bot: the staff's and the PoCs' chat, one module or folder per
feature.

    app.py          the Application: the one ordered handler list, the error handler, run_bot
    common.py       the Services handlers read from bot_data, say(), fitted(), Bot API calls
    access.py       who may use what: staff, admins, the PoC bound to a chat
    replies.py      a PoC's answer to a reminder (its buttons)
    poc.py          /start <token>, /mystatus, /language, /stop
    staff.py        /help, /state, /org, /nonreporting, /invite, /grant, /revoke, menus
    events.py       /events          stats.py   /stats, /report
    log/            /log: one_liner, line, the guided conversation (conversation, guided,
                    questions, answers, steps, keyboards, rows)
    chair/          /chair: commands, conversation, preview, audience, calls, markdown
    persistence.py  drafts and steps kept in the database across restarts
    webhook.py      webhook mode          tolerant_bot.py   the Bot API client

Every handler is a module-level `async def on_x(update, context)` that reads its services
(engine, clock, timeouts) from context.bot_data at call time (bot.chat.common.services).
"""
