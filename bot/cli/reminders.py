"""`outreach reminders`: policies, the plan of what would go out, history, pauses, replies."""

from datetime import timedelta
from typing import Annotated, Any

import typer
from sqlmodel import Session, col, select

from bot.cli.common import (
    FORMAT_HELP,
    context,
    day_option,
    fail,
    registry,
    resolve_party,
    say,
)
from bot.render.messages import message_templates, pick_language
from bot.render.tables import ListFormat, listing
from scheduler.reminders import EscalateTo, SentCycle, Target
from scheduler.sweep import load_facts, sweep
from storage import audit, outbox, parties, pocs
from storage import reminders as store
from storage.outbox import Channel
from storage.parties import Party

app = typer.Typer(help="Reminders to States that have not reported or not updated: policies, "
                  "plan, history, pauses and PoC replies.", no_args_is_help=True)

POLICY_COLUMNS = ("id", "name", "target", "years", "since", "regional_group", "template",
                  "channels", "cadence_days", "first_send_on", "max_reminders",
                  "escalate_after", "escalate_to", "paused")
PLAN_COLUMNS = ("date", "policy", "state", "cycle", "pocs", "escalated", "english_fallback")
HISTORY_COLUMNS = ("policy", "cycle", "queued_at", "message", "escalated", "deliveries",
                   "replies")
REPLY_COLUMNS = ("id", "at", "state", "poc", "answer", "snooze_until", "channel", "message")

Fmt = Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)]


def _policy(session: Session, policy_id: int) -> store.ReminderPolicy:
    policy = session.get(store.ReminderPolicy, policy_id)
    if policy is None:
        fail("policy_not_found", policy_id=policy_id)
    return policy


@app.command("policies")
def list_policies(ctx: typer.Context, fmt: Fmt = ListFormat.TABLE) -> None:
    """List reminder policies."""
    with registry(ctx) as (_cli, session):
        rows = [{"id": p.id, **store.policy_snapshot(p)} for p in store.policies(session=session)]
    typer.echo(listing(rows, POLICY_COLUMNS, fmt))


def _checked_policy(policy: store.ReminderPolicy) -> None:
    target = Target(policy.target)
    if target in (Target.NO_SUBMISSION_FOR_YEARS, Target.ACTION_PLAN_UPDATE_DUE) and (
            not policy.years):
        fail("policy_invalid", text=f"--years is required for {target.value}")
    if target is Target.NO_SUBMISSION_SINCE and policy.since is None:
        fail("policy_invalid", text="--since is required for no_submission_since")
    if policy.template not in message_templates():
        fail("unknown_template", value=policy.template, allowed=", ".join(message_templates()))
    if not policy.channels or any(c not in list(Channel) for c in policy.channels):
        fail("policy_invalid", text="--channel must be email or telegram")
    if policy.cadence_days < 1 or policy.max_reminders < 1:
        fail("policy_invalid", text="--every and --max must be at least 1")



def _checked_new_policy(session: Session, name: str, group: str | None) -> None:
    """What `add` alone sets: a name that fits its column, a group that exists."""
    if len(name) > store.POLICY_NAME_MAX:
        fail("policy_name_invalid", exit_code=2, limit=store.POLICY_NAME_MAX, too_long=True)
    if not name.strip() or not name.isprintable():
        fail("policy_name_invalid", exit_code=2, limit=store.POLICY_NAME_MAX, too_long=False)
    known = [g.code for g in parties.regional_groups(session=session)]
    if group is not None and group.upper() not in known:
        fail("unknown_group", value=group, allowed=", ".join(known))


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A short unique name.")],
    target: Annotated[Target, typer.Option(help="Which States the policy reminds.")],
    template: Annotated[str, typer.Option(help="Message template (see `outreach templates`).")],
    every: Annotated[int, typer.Option(help="Cadence in days between reminders.")],
    years: Annotated[int | None, typer.Option(
        help="For no_submission_for_years (N years without a submission) and "
        "action_plan_update_due (latest action plan older than N years).")] = None,
    since: Annotated[str | None, typer.Option(
        help="For no_submission_since: nothing submitted since YYYY-MM-DD.")] = None,
    group: Annotated[str | None, typer.Option(
        help="Only States of this electoral group (AFR, APG, EEG, GRULAC, WEOG).")] = None,
    channel: Annotated[list[str] | None, typer.Option(
        help="email and/or telegram (default both).")] = None,
    first: Annotated[str | None, typer.Option(
        help="First send date, YYYY-MM-DD (default today).")] = None,
    max_reminders: Annotated[int, typer.Option("--max", help="At most this many per State.")] = 6,
    escalate_after: Annotated[int | None, typer.Option(
        help="After N unacknowledged reminders, write to more people (see --escalate-to).")
    ] = None,
    escalate_to: Annotated[EscalateTo, typer.Option(
        help="other_pocs: every active PoC of the State; mission: its Permanent Mission "
        "address (a PoC of role mission).")] = EscalateTo.OTHER_POCS,
) -> None:
    """Add a reminder policy (audited)."""
    now = context(ctx).clock()
    with registry(ctx) as (cli, session):
        _checked_new_policy(session, name, group)
        if target is Target.UNANSWERED_LETTER:  # made with its letter, never alone
            fail("policy_invalid", exit_code=2, text="unanswered_letter policies are created "
                 "with their letter (outreach send or chair approve --expect-response-by)")
        if target is Target.UNAPPROVED_MATRIX:  # made with its review, never alone
            fail("policy_invalid", exit_code=2, text="unapproved_matrix policies are created "
                 "with their review (outreach matrices send-for-review)")
        policy = store.ReminderPolicy(
            name=name, target=target.value, years=years, since=day_option(since, "--since"),
            regional_group=group.upper() if group else None, template=template,
            channels=channel or ["email", "telegram"], cadence_days=every,
            first_send_on=day_option(first, "--first") or now.date(), max_reminders=max_reminders,
            escalate_after=escalate_after, escalate_to=escalate_to.value, created_by=cli.actor,
            created_at=now)
        _checked_policy(policy)
        if session.exec(select(store.ReminderPolicy).where(
                store.ReminderPolicy.name == name)).first():
            fail("policy_name_taken", name=name)
        session.add(policy)
        session.flush()
        audit.record(session=session, actor=cli.actor, action="create", entity="reminder_policy",
                     entity_id=policy.id or 0, before=None, after=store.policy_snapshot(policy),
                     now=now)
    say("policy_saved", policy_id=policy.id, name=name)


@app.command()
def edit(
    ctx: typer.Context,
    policy_id: Annotated[int, typer.Argument(help="The policy's id.")],
    template: Annotated[str | None, typer.Option(help="Message template.")] = None,
    every: Annotated[int | None, typer.Option(help="Cadence in days.")] = None,
    first: Annotated[str | None, typer.Option(help="First send date, YYYY-MM-DD.")] = None,
    max_reminders: Annotated[int | None, typer.Option("--max", help="Maximum per State.")] = None,
    escalate_after: Annotated[int | None, typer.Option(help="Escalate after N.")] = None,
    escalate_to: Annotated[EscalateTo | None, typer.Option(
        help="other_pocs or mission.")] = None,
    channel: Annotated[list[str] | None, typer.Option(help="email and/or telegram.")] = None,
) -> None:
    """Change a policy's template, cadence, dates, maximum, escalation or channels (audited)."""
    with registry(ctx) as (cli, session):
        policy = _policy(session, policy_id)
        before = store.policy_snapshot(policy)
        changes: dict[str, Any] = {
            "template": template, "cadence_days": every,
            "first_send_on": day_option(first, "--first"),
            "max_reminders": max_reminders, "escalate_after": escalate_after,
            "escalate_to": escalate_to.value if escalate_to else None,
            "channels": channel or None,
        }
        for name, value in changes.items():
            if value is not None:
                setattr(policy, name, value)
        _checked_policy(policy)
        after = store.policy_snapshot(policy)
        if after != before:
            session.add(policy)
            audit.record(session=session, actor=cli.actor, action="update",
                         entity="reminder_policy", entity_id=policy_id, before=before,
                         after=after, now=cli.clock())
    say("policy_saved", policy_id=policy_id, name=policy.name)


def _pause(ctx: typer.Context, policy_id: int | None, state: str | None, paused: bool) -> None:
    if policy_id is None and state is None:
        fail("pause_needs_target", exit_code=2)
    with registry(ctx) as (cli, session):
        if state is None:
            assert policy_id is not None
            policy = _policy(session, policy_id)
            before = store.policy_snapshot(policy)
            policy.paused = paused
            session.add(policy)
            audit.record(session=session, actor=cli.actor,
                         action="pause" if paused else "resume", entity="reminder_policy",
                         entity_id=policy_id, before=before, after=store.policy_snapshot(policy),
                         now=cli.clock())
        else:
            party = resolve_party(session, state)
            if policy_id is not None:
                _policy(session, policy_id)
            existing = session.exec(select(store.ReminderPause).where(
                store.ReminderPause.party_id == party.id,
                store.ReminderPause.policy_id == policy_id)).first()
            if paused and existing is None:
                session.add(store.ReminderPause(party_id=party.id or 0, policy_id=policy_id,
                                                created_by=cli.actor, created_at=cli.clock()))
            if not paused and existing is not None:
                session.delete(existing)
            audit.record(session=session, actor=cli.actor,
                         action="pause" if paused else "resume", entity="reminder_pause",
                         entity_id=party.code, before=None,
                         after={"party": party.code, "policy_id": policy_id, "paused": paused},
                         now=cli.clock())
    say("paused" if paused else "resumed", policy_id=policy_id, state=state)


PolicyOpt = Annotated[int | None, typer.Option("--policy", help="A policy id.")]
StateOpt = Annotated[str | None, typer.Option("--state", help="A State (ISO3 or name).")]


@app.command()
def pause(ctx: typer.Context, policy: PolicyOpt = None, state: StateOpt = None) -> None:
    """Pause a policy, a State under every policy, or a State under one policy."""
    _pause(ctx, policy, state, True)


@app.command()
def resume(ctx: typer.Context, policy: PolicyOpt = None, state: StateOpt = None) -> None:
    """Undo a pause."""
    _pause(ctx, policy, state, False)


@app.command("plan")
def show_plan(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How many days ahead to look.")] = 120,
    fmt: Fmt = ListFormat.TABLE,
    include_paused: Annotated[bool, typer.Option(
        "--include-paused",
        help="Plan paused policies too, as if resumed: what `reminders resume` would send.",
    )] = False,
) -> None:
    """Who would get which reminder and when, over the coming days. Sends nothing."""
    now = context(ctx).clock()
    rows: list[dict[str, Any]] = []
    with registry(ctx) as (_cli, session):
        codes = {p.id: p.code for p in session.exec(select(Party))}
        facts = load_facts(session, include_paused=include_paused)
        names = {p.id: p.name for p in facts.stored}
        templates = {p.id: p.template for p in facts.stored}
        languages = {poc_id: language for poc_id, language in session.exec(
            select(pocs.PointOfContact.id, pocs.PointOfContact.language))}
    simulated: list[SentCycle] = []  # what the plan itself would send, day after day
    without: set[str] = set()
    for offset in range(days + 1):
        moment = now + timedelta(days=offset)
        result = facts.plan(moment, simulated)
        without |= {codes[party] for _, party in result.without_poc}
        for due in result.due:
            simulated.append(SentCycle(due.policy_id, due.party_id, due.cycle, moment, False))
            template = templates[due.policy_id]
            # each language once, not each PoC: a State may have a hundred PoCs
            wanted = {languages.get(p, "en") for p in due.poc_ids}
            fallback = sorted(language for language in wanted
                              if pick_language(template, language)[1])
            rows.append({"date": moment.date().isoformat(), "policy": names[due.policy_id],
                         "state": codes[due.party_id], "cycle": due.cycle,
                         "pocs": len(due.poc_ids), "escalated": due.escalated,
                         "english_fallback": fallback})
    typer.echo(listing(rows, PLAN_COLUMNS, fmt))
    if without and fmt is ListFormat.TABLE:
        say("states_without_poc", states=", ".join(sorted(without)))


@app.command()
def history(
    ctx: typer.Context,
    state: Annotated[str, typer.Argument(help="A State (ISO3 or name).")],
    fmt: Fmt = ListFormat.TABLE,
) -> None:
    """Every reminder cycle sent to a State, with delivery states and replies."""
    with registry(ctx) as (_cli, session):
        party = resolve_party(session, state)
        names = {p.id: p.name for p in store.policies(session=session)}
        rows = []
        query = select(store.ReminderCycle).where(store.ReminderCycle.party_id == party.id)
        for cycle in session.exec(query.order_by(col(store.ReminderCycle.sent_at))):
            replies = session.exec(select(store.PocReply).where(
                store.PocReply.message_id == cycle.message_id))
            rows.append({
                "policy": names.get(cycle.policy_id), "cycle": cycle.cycle,
                "queued_at": cycle.sent_at.isoformat(timespec="minutes"),
                "message": cycle.message_id, "escalated": cycle.escalated,
                "deliveries": outbox.counts_by_state(session=session,
                                                     message_id=cycle.message_id),
                "replies": [r.answer for r in replies],
            })
    typer.echo(listing(rows, HISTORY_COLUMNS, fmt))


@app.command("sweep")
def run_sweep(ctx: typer.Context) -> None:
    """Queue every reminder due now (what `outreach run` does every hour)."""
    with registry(ctx) as (cli, session):
        report = sweep(session=session, now=cli.clock(), hours=cli.settings.working_hours)
        codes = {p.id: p.code for p in session.exec(select(Party))}
    say("sweep_done", count=len(report.queued))
    if report.without_poc:
        say("states_without_poc",
            states=", ".join(sorted({codes[p] for _, p in report.without_poc})))


@app.command()
def replies(ctx: typer.Context, fmt: Fmt = ListFormat.TABLE) -> None:
    """PoCs' answers to reminders, newest first; "not the right contact" needs staff action."""
    with registry(ctx) as (_cli, session):
        query = (select(store.PocReply, pocs.PointOfContact, Party)
                 .join(pocs.PointOfContact,
                       col(pocs.PointOfContact.id) == col(store.PocReply.poc_id))
                 .join(Party, col(Party.id) == col(pocs.PointOfContact.party_id))
                 .order_by(col(store.PocReply.at).desc()))
        rows = [{"id": r.id, "at": r.at.isoformat(timespec="minutes"), "state": party.code,
                 "poc": poc.id, "answer": r.answer,
                 "snooze_until": r.snooze_until.date().isoformat() if r.snooze_until else None,
                 "channel": r.channel, "message": r.message_id}
                for r, poc, party in session.exec(query)]
    typer.echo(listing(rows, REPLY_COLUMNS, fmt))


