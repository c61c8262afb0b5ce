"""`outreach chair ...`: the Chair's quarterly messages from the command line.

Draft from Markdown files (one per language), choose the audience and the send time,
preview, approve (four eyes: another OUTREACH_ACTOR), cancel, follow and retry, archive.
Releasing happens in `outreach run` (the chair-release tick), never here.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from sqlmodel import Session

from bot.channels.contract import OutgoingEmail
from bot.cli.common import FORMAT_HELP, context, day_option, registry
from bot.main import AppContext
from bot.render import previews
from bot.render.previews import preview as build_preview
from bot.render.previews import table_text
from bot.render.tables import ListFormat, listing
from bot.render.templates import catalogue_message, render
from bot.web import archive as chair_archive
from bot.web.links import unsubscribe_url
from scheduler.quarters import NEW_YORK, default_send_at
from storage import chair, chair_release, letters
from storage.chair import ChairError, ChairMessage, ChairState
from storage.chair_audience import AudienceFilter, InvalidAudience, allowed_values, validated

app = typer.Typer(
    help="The Chair's quarterly messages: draft per UN language, audience, send time, "
    "preview, four-eyes approval, cancel, status, retry, archive.",
    no_args_is_help=True,
)

LIST_COLUMNS = ("id", "state", "revision", "subject", "languages", "send_at", "drafted_by",
                "approved_by", "released_at")
PREVIEW_RECIPIENT = "point-of-contact@example.org"


def _say(code: str, **params: Any) -> None:
    typer.echo(catalogue_message("chair", code, params))


def _fail(code: str, **params: Any) -> NoReturn:
    typer.echo(catalogue_message("chair", code, params), err=True)
    raise typer.Exit(1)


@contextmanager
def _unit(ctx: typer.Context) -> Iterator[tuple[AppContext, Session]]:
    """A unit of work whose refusals (storage.chair errors) become one clear line."""
    try:
        with registry(ctx) as (cli, session):
            yield cli, session
    except ChairError as error:
        _fail(error.code, **error.params)


def _when(send_at: datetime | None) -> dict[str, str]:
    if send_at is None:
        return {"send_at": "", "new_york": ""}
    return {"send_at": send_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
            "new_york": send_at.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M")}


def _read_markdown(path: Path) -> str:
    if not path.is_file():
        _fail("file_not_found", path=str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        _fail("file_not_utf8", path=str(path))
    if not text.strip():
        _fail("file_empty", path=str(path))
    return text


@app.command()
def draft(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The message in Markdown (UTF-8).")],
    lang: Annotated[str, typer.Option(help="Its language: ar, zh, en, fr, ru or es.")],
    message_id: Annotated[int | None, typer.Option(
        "--id", help="Set this language of an existing draft instead of creating one.")] = None,
    subject: Annotated[str | None, typer.Option(help="The subject line in that language.")]
    = None,
) -> None:
    """Create a draft from a Markdown file, or set one language of draft ID. A new draft
    goes to every active PoC on the first working day of next quarter, 10:00 New York."""
    text = _read_markdown(file)
    now = context(ctx).clock()
    is_new = message_id is None
    with _unit(ctx) as (cli, session):
        if message_id is None:
            created = chair.create_draft(session=session, actor=cli.actor, now=now,
                                         send_at=default_send_at(now))
            assert created.id is not None
            message_id = created.id
            state_was = ChairState.DRAFT.value
        else:
            state_was = chair.get(session=session, message_id=message_id).state
        changed = chair.set_body(session=session, message_id=message_id, language=lang.lower(),
                                 actor=cli.actor, now=now, markdown=text, subject=subject)
        body = chair.bodies(session=session, message_id=message_id)[lang.lower()]
        send_at = changed.send_at
    if is_new:
        _say("drafted", id=message_id, language=lang.lower(), revision=changed.revision)
        _say("send_time", id=message_id, **_when(send_at))
    else:
        _say("body_set", id=message_id, language=lang.lower(), revision=changed.revision,
             state_was=state_was)
    if not body.subject:
        _say("subject_missing", id=message_id, language=lang.lower())


def _describe(audience: AudienceFilter) -> str:
    if audience.is_everyone:
        return catalogue_message("chair", "everyone", {})
    parts = [f"{name} {'/'.join(values)}" for name, values in (
        ("kind", audience.kinds), ("group", audience.groups), ("role", audience.roles),
        ("language", audience.languages)) if values]
    return ", ".join(parts)


@app.command()
def audience(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="The message id.")],
    kind: Annotated[list[str] | None, typer.Option(
        help="state or organisation. Repeat for several.")] = None,
    group: Annotated[list[str] | None, typer.Option(
        help="UN regional group of States: AFR, APG, EEG, GRULAC, WEOG. Repeatable.")] = None,
    role: Annotated[list[str] | None, typer.Option(
        help="PoC role: national, assistance, coordinator, mission. Repeatable.")] = None,
    language: Annotated[list[str] | None, typer.Option(
        help="PoC language: ar, zh, en, fr, ru, es. Repeatable.")] = None,
) -> None:
    """Choose who receives message ID (no option: every active PoC). Filters combine: a PoC
    must match every option given, and one of the values of each."""
    now = context(ctx).clock()
    with _unit(ctx) as (cli, session):
        try:
            chosen = validated(session=session, kinds=kind or (), groups=group or (),
                               roles=role or (), languages=language or ())
        except InvalidAudience as error:
            allowed = allowed_values(session=session)[error.dimension]
            _fail("invalid_audience", dimension=error.dimension, value=error.value,
                  allowed=", ".join(allowed))
        state_was = chair.get(session=session, message_id=message_id).state
        changed = chair.set_audience(session=session, message_id=message_id, audience=chosen,
                                     actor=cli.actor, now=now)
        plan = chair_release.recipients(session=session, message=changed)
    _say("audience_set", id=message_id, audience=_describe(chosen), pocs=len(plan.reachable),
         unreachable=len(plan.unreachable))
    if state_was == ChairState.APPROVED:
        _say("back_to_draft", id=message_id)


@app.command()
def schedule(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="The message id.")],
    at: Annotated[str | None, typer.Option(
        help="ISO date and time with its zone, e.g. 2027-01-04T10:00-05:00.")] = None,
    now_: Annotated[bool, typer.Option("--now", help="Right after approval.")] = False,
    default: Annotated[bool, typer.Option(
        help="First working day of next quarter, 10:00 New York.")] = False,
) -> None:
    """Set when message ID goes out."""
    if sum((at is not None, now_, default)) != 1:
        _fail("schedule_one_of")
    now = context(ctx).clock()
    send_at: datetime | None = None
    if at is not None:
        try:
            send_at = datetime.fromisoformat(at.strip())
        except ValueError:
            _fail("bad_datetime", value=at)
        if send_at.tzinfo is None:
            _fail("bad_datetime", value=at)
        if send_at <= now:
            _fail("datetime_in_past", value=at)
    elif default:
        send_at = default_send_at(now)
    with _unit(ctx) as (cli, session):
        state_was = chair.get(session=session, message_id=message_id).state
        chair.set_send_at(session=session, message_id=message_id, send_at=send_at,
                          actor=cli.actor, now=now)
    _say("send_time", id=message_id, **_when(send_at))
    if state_was == ChairState.APPROVED:
        _say("back_to_draft", id=message_id)


@app.command()
def preview(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="The message id.")],
    out: Annotated[Path, typer.Option(help="Folder for the files (created if needed).")],
) -> None:
    """Write each language as PoCs receive it (LANG.eml, LANG.html, LANG.txt,
    LANG.telegram.html) and print who gets which language by which channel."""
    # The e-mail channel comes with its SMTP client: only a preview needs it.
    from bot.channels.email.mime import build_mime

    if out.exists() and not out.is_dir():
        _fail("out_not_directory", path=str(out))
    with _unit(ctx) as (cli, session):
        settings = cli.settings
        sample_link = None
        if settings.public_url and settings.secret_key:
            sample_link = unsubscribe_url(settings.public_url,
                                          settings.secret_key.get_secret_value(), 0)
        result = build_preview(session=session, message_id=message_id,
                               unsubscribe_url=sample_link)
    if not result.languages:
        _fail("nothing_to_preview", id=message_id)
    out.mkdir(parents=True, exist_ok=True)
    for language, version in result.languages.items():
        mail = OutgoingEmail(
            delivery_id=0, to=(PREVIEW_RECIPIENT,), subject=version.subject,
            text=version.email_text, html=version.email_html, language=language,
            message_id=f"<chair-{message_id}-preview.{language}@outreach.invalid>",
            unsubscribe_url=sample_link)
        mime = build_mime(mail, settings.mail_from, settings.reply_to)
        (out / f"{language}.eml").write_bytes(bytes(mime))
        (out / f"{language}.html").write_text(version.email_html + "\n", encoding="utf-8")
        (out / f"{language}.txt").write_text(version.email_text + "\n", encoding="utf-8")
        (out / f"{language}.telegram.html").write_text(version.telegram_html + "\n",
                                                       encoding="utf-8")
    _say("preview_written", path=str(out), files=4 * len(result.languages))
    typer.echo(table_text(result))


@app.command()
def approve(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="The message id.")],
    revision: Annotated[int | None, typer.Option(
        help="The revision you previewed: refused if the message changed since.")] = None,
    expect_response_by: Annotated[str | None, typer.Option(
        help="The message expects a response from each party by this day (YYYY-MM-DD): "
        "see `outreach responses`.")] = None,
) -> None:
    """Approve message ID as another staff member than whoever wrote it (four eyes)."""
    due_on = day_option(expect_response_by, "--expect-response-by")
    with _unit(ctx) as (cli, session):
        approved = previews.approve(session=session, message_id=message_id,
                                         actor=cli.actor, now=cli.clock(), revision=revision)
        letter = None if due_on is None else letters.expect_for_chair(
            session=session, chair_message_id=message_id, due_on=due_on, actor=cli.actor,
            now=cli.clock())
    _say("approved", id=message_id, revision=approved.revision, **_when(approved.send_at))
    if letter is not None:
        typer.echo(catalogue_message("letters", "letter_expected", {
            "letter_id": letter.id, "due_on": letter.due_on, "policy_id": letter.policy_id}))


@app.command()
def cancel(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="The message id.")],
) -> None:
    """Cancel message ID; possible until its first delivery leaves."""
    with _unit(ctx) as (cli, session):
        done = chair.cancel(session=session, message_id=message_id, actor=cli.actor,
                            now=cli.clock())
    _say("cancelled", id=message_id, withdrawn=done.withdrawn_deliveries)


@app.command()
def status(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="The message id.")],
) -> None:
    """Sent, pending, retrying, failed and uncertain deliveries of message ID per channel
    and language, the failed and uncertain ones, and PoCs with no channel."""
    with _unit(ctx) as (_cli, session):
        report = chair_release.status(session=session, message_id=message_id)
        subject = _english_subject(session, report.message)
    typer.echo(render("cli/chair_status.txt.j2", report=report, subject=subject,
                      **_when(report.message.send_at)))


@app.command()
def retry(
    ctx: typer.Context,
    message_id: Annotated[int, typer.Argument(metavar="ID", help="The message id.")],
) -> None:
    """Send the failed deliveries of message ID again, once their cause is fixed."""
    with _unit(ctx) as (cli, session):
        done = chair_release.retry_failed(session=session, message_id=message_id,
                                          actor=cli.actor, now=cli.clock())
    _say("retried", id=message_id, count=len(done))


def _english_subject(session: Session, item: ChairMessage) -> str:
    assert item.id is not None
    english = chair.bodies(session=session, message_id=item.id).get("en")
    return english.subject if english else ""


@app.command("list")
def list_messages(
    ctx: typer.Context,
    state: Annotated[ChairState | None, typer.Option(
        help="Only this state: draft, approved, sending, sent or cancelled.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """The Chair's messages, newest first."""
    with _unit(ctx) as (_cli, session):
        rows = []
        for item in chair.listing(session=session, states=[state] if state else None):
            assert item.id is not None
            rows.append({
                "id": item.id, "state": item.state, "revision": item.revision,
                "subject": _english_subject(session, item),
                "languages": list(chair.bodies(session=session, message_id=item.id)),
                "send_at": _stamp(item.send_at), "drafted_by": item.drafted_by,
                "approved_by": item.approved_by, "released_at": _stamp(item.released_at),
            })
    typer.echo(listing(rows, LIST_COLUMNS, fmt))


def _stamp(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="minutes") if moment else None


@app.command()
def archive(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Folder for the pages (created if needed).")],
) -> None:
    """Write an HTML page per sent message (every language), index.html and an Atom feed
    (atom.xml) for the Committee's website; links are absolute with OUTREACH_PUBLIC_URL."""
    if out.exists() and not out.is_dir():
        _fail("out_not_directory", path=str(out))
    with _unit(ctx) as (cli, session):
        count = chair_archive.write(session=session, out=out,
                                    public_url=cli.settings.public_url, now=cli.clock())
    _say("archive_written", path=str(out), count=count)
