import sys
from pathlib import Path

import click
from flask import Flask, current_app

from app.auth import services as accounts
from app.auth.models import PatronType, Role
from app.domain import Refused
from app.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(mail_group)
    app.cli.add_command(backup_group)
    app.cli.add_command(dashboard_group)


@click.group("dashboard")
def dashboard_group():
    """The staff dashboard's figures and the roll-ups they are read from."""


@dashboard_group.command("rebuild")
def dashboard_rebuild():
    """Work the roll-ups out again from every proposal, support and comment, in one transaction:
    after a release adds one, once no host of the release before is left (deploy/README.md)."""
    import time

    from sqlalchemy import func, select

    from app.insight import rollups
    from app.insight.models import ParticipantCount, Participation, SupportTally

    started = time.monotonic()

    def show(done: int, total: int) -> None:
        click.echo(f"Roll-ups: {done}/{total} {rollups.STEPS[done - 1]} "
                   f"({time.monotonic() - started:.1f} s)", err=True)

    rollups.rebuild(progress=show)
    rows = [db.session.scalar(select(func.count()).select_from(model))
            for model in (Participation, ParticipantCount, SupportTally)]
    db.session.commit()
    click.echo(f"Dashboard roll-ups rebuilt in {time.monotonic() - started:.1f} s: "
               f"participation {rows[0]:,} rows, people counted {rows[1]:,} rows, "
               f"support tally {rows[2]:,} rows.")


@click.group("backup")
def backup_group():
    """Consistent snapshots of the database, taken while the site keeps serving."""


@backup_group.command("create")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup_create(path):
    """Write a snapshot (default: instance/backups/commons-<time>.<ext>)."""
    from app import backup
    from app.timeutil import utcnow

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    ext = "sqlite3" if url.startswith("sqlite") else "dump"
    name = f"commons-{utcnow():%Y%m%d-%H%M%S}.{ext}"
    path = path or Path(current_app.instance_path) / "backups" / name
    try:
        backup.create(url, path, progress=_progress("Copied pages"))
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {path} ({path.stat().st_size:,} bytes).")
    if current_app.config["MEDIA_STORAGE"] == "local":  # S3: the bucket's own versioning
        copied = backup.copy_files(Path(current_app.config["MEDIA_FOLDER"]),
                                   backup.files_beside(path))
        click.echo(f"Photos copied to {backup.files_beside(path)} ({copied} files).")


@backup_group.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
def backup_restore(path, yes):
    """Replace the database with a snapshot. Stop the site (or its writers) first."""
    from app import backup

    if not yes:
        click.confirm(f"Replace the current database with {path}?", abort=True)
    db.engine.dispose()  # no pooled connection may keep the old file or tables open
    try:
        backup.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path,
                       progress=_progress("Restored pages"))
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Database restored from {path}.")
    beside = backup.files_beside(path)
    if current_app.config["MEDIA_STORAGE"] == "local" and beside.is_dir():
        copied = backup.copy_files(beside, Path(current_app.config["MEDIA_FOLDER"]))
        click.echo(f"Photos restored from {beside} ({copied} files).")


@click.group("mail")
def mail_group():
    """The e-mail outbox."""


@mail_group.command("deliver")
@click.option("--limit", default=500, show_default=True)
def deliver(limit):
    """Send the e-mails waiting in the outbox."""
    from app.mail.services import deliver_pending

    sent, failed = deliver_pending(limit, progress=_progress("Sending"))
    click.echo(f"Outbox: {sent} sent, {failed} failed (retried on the next run).")


@mail_group.command("digests")
def digests():
    """Queue the weekly digests that are due."""
    from app.notifications.digests import send_digests
    from app.timeutil import utcnow

    count = send_digests(utcnow(), progress=_progress("Digests"))
    click.echo(f"Digests: {count} queued.")


def _progress(label: str):
    def show(done: int, total: int) -> None:
        if done == total or done % 50 == 0 or total > 1000:
            click.echo(f"{label}: {done}/{total}", err=True)
    return show


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.PATRON.value)
@click.option("--name", "display_name", default=None, help="Display name (default: from e-mail).")
@click.option("--patron-type", type=click.Choice([t.value for t in PatronType]),
              default=PatronType.STAFF.value)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email, role, display_name, patron_type, password_stdin):
    """Create an account; the password comes from a prompt or standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.register(
            email=email, display_name=display_name or email.split("@")[0], password=password,
            patron_type=patron_type, role=role,
        )
        db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        raise click.ClickException(str(refusal)) from None
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no proposals.")
def seed_demo(if_empty):
    """Load bilingual demo data (idempotent) and print the demo accounts."""
    from app import demo

    loaded = demo.seed(only_if_empty=if_empty, echo=click.echo)
    db.session.commit()
    if loaded:
        click.echo("Demo accounts (password for all: %s):" % demo.PASSWORD)
        for email, role in demo.ACCOUNTS_SUMMARY:
            click.echo(f"  {role:<7} {email}")
