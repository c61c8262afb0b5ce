"""`outreach staff`: who may use the staff bot on Telegram, as admin or staff."""

from typing import Annotated

import typer

from bot.cli.common import FORMAT_HELP, fail, registry, say
from bot.render.tables import ListFormat, listing
from storage import invitations, pocs, staff
from storage.parties import UN_LANGUAGES
from storage.staff import StaffMember, StaffRole

app = typer.Typer(help="List staff and admins known by their Telegram user id (active ones "
                  "unless --all); the subcommands grant, revoke and language change them.",
                  invoke_without_command=True)

STAFF_COLUMNS = ("telegram_user_id", "role", "language", "display_name", "granted_by",
                 "granted_at", "revoked_at")

UserId = Annotated[int, typer.Argument(
    help="The person's numeric Telegram user id (not their @handle).")]


def _record(member: StaffMember) -> dict[str, object]:
    return {
        "telegram_user_id": member.telegram_user_id,
        "role": member.role,
        "language": member.language,
        "display_name": member.display_name,
        "granted_by": member.granted_by,
        "granted_at": member.granted_at.isoformat(timespec="minutes"),
        "revoked_at": member.revoked_at.isoformat(timespec="minutes")
        if member.revoked_at else None,
    }


def _checked_user_id(value: int) -> int:
    if not staff.is_user_id(value):
        fail("invalid_option", exit_code=2, option="TELEGRAM_USER_ID",
             text=f"{value} is not a Telegram user id (a positive number)")
    return value


@app.callback()
def list_staff(
    ctx: typer.Context,
    include_revoked: Annotated[bool, typer.Option(
        "--all", help="Include members whose role was revoked.")] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", help=FORMAT_HELP)] = ListFormat.TABLE,
) -> None:
    """List staff and admins (active ones unless --all). Subcommands change them."""
    if ctx.invoked_subcommand is not None:
        return
    with registry(ctx) as (_cli, session):
        rows = [_record(m) for m in staff.members(session=session,
                                                   include_revoked=include_revoked)]
    typer.echo(listing(rows, STAFF_COLUMNS, fmt))


@app.command()
def grant(
    ctx: typer.Context,
    telegram_user_id: UserId,
    admin: Annotated[bool, typer.Option(
        "--admin", help="Make the person an admin, who may also grant and revoke; "
        "without it, staff.")] = False,
    name: Annotated[str | None, typer.Option(
        help="A name to recognise the person by in listings (at most 120 characters).")
    ] = None,
) -> None:
    """Give a Telegram user the staff or admin role, or change it; reactivates a revoked
    member (audited)."""
    _checked_user_id(telegram_user_id)
    display_name = (name or "").strip()
    if len(display_name) > staff.DISPLAY_NAME_MAX or not display_name.isprintable():
        fail("invalid_option", exit_code=2, option="--name",
             text=f"at most {staff.DISPLAY_NAME_MAX} printable characters")
    role = StaffRole.ADMIN if admin else StaffRole.STAFF
    with registry(ctx) as (cli, session):
        try:
            changed = staff.grant(session=session, telegram_user_id=telegram_user_id,
                                  role=role, actor=cli.actor, now=cli.clock(),
                                  display_name=display_name)
        except staff.LastAdminError:
            fail("last_admin", user_id=telegram_user_id)
    say("staff_granted" if changed else "staff_unchanged", user_id=telegram_user_id,
        role=role.value)


@app.command()
def revoke(ctx: typer.Context, telegram_user_id: UserId) -> None:
    """Take a Telegram user's role away; the record and its history stay (audited). The last
    active admin cannot be revoked."""
    _checked_user_id(telegram_user_id)
    with registry(ctx) as (cli, session):
        if session.get(StaffMember, telegram_user_id) is None:
            fail("staff_not_found", user_id=telegram_user_id)
        try:
            changed = staff.revoke(session=session, telegram_user_id=telegram_user_id,
                                   actor=cli.actor, now=cli.clock())
        except staff.LastAdminError:
            fail("last_admin", user_id=telegram_user_id)
        from_settings = telegram_user_id in cli.settings.admin_ids
    say("staff_revoked" if changed else "staff_already_revoked", user_id=telegram_user_id)
    if from_settings:
        say("admin_in_settings", user_id=telegram_user_id)


@app.command()
def language(
    ctx: typer.Context,
    telegram_user_id: UserId,
    code: Annotated[str, typer.Argument(
        help="ar, zh, en, fr, ru or es: the language the bot writes to them in (the staff "
        "chat is translated into English and French; the others show English where a word "
        "is not translated yet).")],
) -> None:
    """Set the language the bot writes to an active staff member in, as they would with
    /language (audited)."""
    _checked_user_id(telegram_user_id)
    code = code.strip().lower()
    if code not in UN_LANGUAGES:
        fail("invalid_option", exit_code=2, option="CODE",
             text=f"{code!r} is not one of {', '.join(UN_LANGUAGES)}")
    with registry(ctx) as (cli, session):
        try:
            changed = staff.set_language(session=session, telegram_user_id=telegram_user_id,
                                         language=code, actor=cli.actor, now=cli.clock())
        except LookupError:
            fail("staff_not_found", user_id=telegram_user_id)
    say("staff_language_set" if changed else "staff_language_unchanged",
        user_id=telegram_user_id, lang=code)


def invite(
    ctx: typer.Context,
    poc_id: Annotated[int, typer.Argument(help="The PoC's id (see `outreach pocs`).")],
) -> None:
    """Create a single-use Telegram invitation for a PoC, valid 7 days, and print its deep
    link; the PoC opens it and the bot binds their chat (audited)."""
    with registry(ctx) as (cli, session):
        poc = pocs.get(session=session, poc_id=poc_id)
        if poc is None:
            fail("poc_not_found", poc_id=poc_id)
        if poc.status != pocs.PocStatus.ACTIVE:
            fail("poc_not_active", poc_id=poc_id)
        now = cli.clock()
        token = invitations.create_invitation(session=session, poc_id=poc_id, actor=cli.actor,
                                              now=now)
        username = (cli.settings.telegram_bot_username or "").lstrip("@")
    expires = (now + invitations.LIFETIME).isoformat(timespec="minutes")
    if username:
        say("invitation_link", poc_id=poc_id, expires=expires,
            link=invitations.deep_link(username, token))
    else:
        say("invitation_token", poc_id=poc_id, expires=expires, token=token)
