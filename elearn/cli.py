"""The `elearn` command line: thin wrappers over the service functions."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from elearn.admin.people_import import apply_import, passwords_csv, plan_import
from elearn.admin.units import import_units, merge_units
from elearn.auth.tokens import create_token
from elearn.demo import generate as demo_generate
from elearn.demo import seed as demo_seed_data
from elearn.errors import ElearnError, ImportProblem
from elearn.extensions import db
from elearn.models import ROLES, User
from elearn.paths import write_private
from elearn.people.accounts import PersonProblems, create_person
from elearn.people.fields import PersonFields
from elearn.plans.mailer import Mailer
from elearn.plans.reminders import ReminderCounts, send_nudge_emails, send_reminders
from elearn.plans.wording import SITE_NAME
from elearn.progress import required, rollup


def register(app: Flask) -> None:
    """Attach the command groups to the app."""
    for group in (units_cli, users_cli, demo_cli, courses_cli, tokens_cli, reminders_cli):
        app.cli.add_command(group)
    for command in (backup_command, restore_command, doctor_command):
        app.cli.add_command(command)


def _option(field: str) -> str:
    """The command-line option that carries a person field."""
    return {"full_name": "name", "unit_code": "unit"}.get(field, field)


def _fail(message: str) -> NoReturn:
    db.session.rollback()
    click.echo(message, err=True)
    sys.exit(1)


units_cli = AppGroup("units", help="Manage the administrative tree.")
users_cli = AppGroup("users", help="Manage accounts.")
demo_cli = AppGroup("demo", help="Demo data for trying elearn out.")
# The content modules (Markdown, Pygments, nh3) are imported by the commands that use them:
# web workers never render Markdown, and each would carry them in memory for nothing.
courses_cli = AppGroup("courses", help="Check and publish the Markdown courses.")
tokens_cli = AppGroup("tokens", help="API tokens for managers and admins.")
reminders_cli = AppGroup("reminders", help="Remind officials of due and overdue courses.")


@tokens_cli.command("create")
@click.argument("username")
@click.option("--label", default="", help="What the token is for.")
def tokens_create(username: str, label: str) -> None:
    """Print a new API token for a manager or admin (it is shown only this once)."""
    user = db.session.scalar(db.select(User).where(User.username == username.casefold()))
    if user is None:
        _fail(f"Error: unknown user {username!r}")
    try:
        token = create_token(user, label)
    except ElearnError as error:
        _fail(f"Error: {error}")
    db.session.commit()
    click.echo(token)


PROGRESS_BAR_FROM = 10  # courses; smaller runs finish before a bar would help
PROGRESS_BAR_PEOPLE = 1_000


def _courses_dir(directory: Path | None) -> Path:
    return directory or Path(current_app.config["COURSES_DIR"])


def _print_problems(result) -> None:
    for problem in result.problems:
        click.echo(str(problem), err=problem.severity == "error")
    broken = result.folders - len(result.courses)
    click.echo(
        f"{result.folders} course folder(s) read, {len(result.courses)} valid, {broken} with "
        f"errors: {len(result.errors)} error(s), {len(result.warnings)} warning(s)."
    )


@courses_cli.command("validate")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
def courses_validate(directory: Path | None) -> None:
    """Report every problem as path:line: …; exit 1 on any error. Changes no content."""
    from elearn.content.loader import load_collection
    from elearn.content.sync import placeholder_image_url, record_validation

    root = _courses_dir(directory)
    result = load_collection(root, image_url=placeholder_image_url)
    _print_problems(result)
    record_validation(result)
    db.session.commit()
    if not result.ok:
        sys.exit(1)


@courses_cli.command("sync")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
def courses_sync(directory: Path | None) -> None:
    """Validate, then publish all or nothing; print what was added, updated and retired."""
    from elearn.content.loader import load_collection
    from elearn.content.report import courses_and_items
    from elearn.content.sync import ContentInvalid, placeholder_image_url, publish, record_failure

    root = _courses_dir(directory)
    result = load_collection(root, image_url=placeholder_image_url)
    if not result.ok:
        _print_problems(result)
        record_failure("sync", result.errors)
        db.session.commit()
        _fail("Nothing was published: fix the errors above and run sync again.")
    for warning in result.warnings:
        click.echo(str(warning))
    required_before = required.required_course_ids()
    try:
        if len(result.courses) >= PROGRESS_BAR_FROM:
            with click.progressbar(length=len(result.courses), label="Publishing") as bar:
                report = publish(result, root, on_course=lambda _course: bar.update(1))
        else:
            report = publish(result, root)
    except ContentInvalid as error:  # a file changed after it was checked
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        record_failure("sync", error.problems)
        db.session.commit()
        _fail("Nothing was published: run sync again.")
    if required.recount(required_before):
        click.echo("Required courses changed: the honour board's records were recounted.")
    rollup.rebuild_domains()  # courses, their domains or the framework may have changed
    db.session.commit()
    for label, names in (
        ("added", report.added),
        ("updated", report.updated),
        ("retired", report.retired),
        ("unchanged", report.unchanged),
    ):
        courses, items = courses_and_items(names)
        listed = f": {', '.join(names)}" if names and label != "unchanged" else ""
        click.echo(f"{label}: {courses} course(s), {items} item(s){listed}")
    if result.framework is not None:
        changed = "; ".join(
            f"{change} {', '.join(slugs)}" for change, slugs in report.domains.items() if slugs
        )
        click.echo(
            f"framework: {len(result.framework.domains)} domain(s); {changed or 'unchanged'}"
        )


@courses_cli.command("add-ids")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
def courses_add_ids(directory: Path | None) -> None:
    """Write a generated id into every question heading that lacks one (nothing else changes)."""
    from elearn.content.addids import add_ids_in_folder

    changed = add_ids_in_folder(_courses_dir(directory))
    for path, count in changed:
        click.echo(f"{path}: {count} id(s) added")
    click.echo(f"{sum(count for _, count in changed)} question id(s) added.")


@units_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
def units_import(file: Path, dry_run: bool) -> None:
    """Import units from a CSV or XLSX file (code,name,kind,parent_code), all or nothing."""
    try:
        report = import_units(file, dry_run=dry_run)
    except ImportProblem as problem:
        for line in problem.problems:
            click.echo(f"{file}: {line}", err=True)
        _fail(f"{len(problem.problems)} problem(s); nothing was imported.")
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run, nothing written: would have {report.summary()}.")
        return
    db.session.commit()
    for warning in report.warnings:
        click.echo(f"{file}: warning: {warning}")
    click.echo(f"Units imported: {report.summary()}.")


@units_cli.command("merge")
@click.argument("codes", nargs=-1, required=True)
@click.option("--into", "into_code", required=True, help="Code of the successor unit.")
def units_merge(codes: tuple[str, ...], into_code: str) -> None:
    """Merge units into a successor: people move, the old units close and keep their history."""
    try:
        report = merge_units(list(codes), into_code)
    except ImportProblem as problem:
        for line in problem.problems:
            click.echo(f"Error: {line}", err=True)
        _fail("Nothing was merged.")
    db.session.commit()
    click.echo(
        f"Merged {', '.join(report.closed)} into {into_code}; {report.people_moved} people moved."
    )


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option(
    "--passwords-out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the new accounts' one-time passwords (CSV).",
)
def users_import(file: Path, dry_run: bool, passwords_out: Path | None) -> None:
    """Import people (username,full_name,unit_code,...) from CSV or XLSX, all or nothing."""
    try:
        plan = plan_import(file)
    except ImportProblem as problem:
        for line in problem.problems:
            click.echo(f"{file}: {line}", err=True)
        _fail(f"{len(problem.problems)} problem(s); nothing was imported.")
    if dry_run:
        click.echo(f"Dry run, nothing written: would have {plan.summary()}.")
        return
    if plan.new and passwords_out is None:
        _fail("New accounts need --passwords-out FILE to receive their one-time passwords.")
    total = len(plan.new) + len(plan.changed)
    with click.progressbar(
        length=total, label="Importing", show_pos=True, hidden=total < PROGRESS_BAR_PEOPLE
    ) as bar:
        accounts = apply_import(plan, source=file.name, on_progress=bar.update)
    if accounts and passwords_out:
        write_private(passwords_out, passwords_csv(accounts))
    db.session.commit()
    click.echo(f"People imported: {plan.summary()}.")
    if accounts:
        click.echo(
            f"One-time passwords written to {passwords_out} (give them out, then delete it)."
        )


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name, e.g. 'Nguyễn Văn An'.")
@click.option("--unit", "unit_code", required=True, help="Code of the person's unit.")
@click.option("--role", type=click.Choice(list(ROLES)), default="official", show_default=True)
@click.option("--category", default="khác", help="cán bộ, công chức or khác.")
@click.option("--email", default="", help="E-mail address, for reminders.")
@click.option("--phone", default="", help="Phone number.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(
    username: str,
    full_name: str,
    unit_code: str,
    role: str,
    category: str,
    email: str,
    phone: str,
    password_stdin: bool,
) -> None:
    """Create an account; without --password-stdin a one-time password is printed."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    fields = PersonFields(
        username, full_name, unit_code, role=role, category=category, email=email, phone=phone
    )
    try:
        user, temporary = create_person(None, fields, password=password)
    except PersonProblems as error:
        _fail("\n".join(f"Error: --{_option(p.field)}: {p.message}" for p in error.problems))
    except ElearnError as error:
        _fail(f"Error: {error}")
    db.session.commit()
    click.echo(f"Created {user.username} ({user.role}) in {user.unit.name}.")
    if temporary:
        click.echo(f"One-time password (to be changed at first sign-in): {temporary}")


@demo_cli.command("generate")
@click.option("--officials", type=click.IntRange(1, 2_000_000), required=True)
@click.option("--courses", type=click.IntRange(1, 200), default=10, show_default=True)
@click.option("--communes", type=click.IntRange(1, 20_000), required=True)
@click.option("--under", "root_code", help="Put the officials in this unit's communes.")
def demo_generate_command(officials: int, courses: int, communes: int, root_code: str | None):
    """Generate officials, courses and progress in bulk (for benchmarks)."""
    try:
        report = demo_generate.generate(
            officials=officials, courses=courses, communes=communes, root_code=root_code
        )
    except ValueError as error:
        _fail(f"Error: {error}")
    db.session.commit()
    click.echo(
        f"Generated {report.officials} officials in {report.communes} communes, "
        f"{report.courses} courses, {report.progress_rows} progress rows."
    )


@demo_cli.command("seed")
@click.option(
    "--before-2025",
    is_flag=True,
    help="Stop before the reform of 1/7/2025: the 2023-2024 tree with its district level.",
)
def demo_seed(before_2025: bool) -> None:
    """Load Bắc Ninh with a year of activity and the 2025 reform, once; print the sign-ins.

    Published courses get the activity, so publish them first (`elearn courses sync`).
    """
    created, logins = demo_seed_data.seed(Path(current_app.instance_path), before_2025=before_2025)
    db.session.commit()
    click.echo("Demo data loaded." if created else "Demo data was already loaded; unchanged.")
    if logins:
        click.echo("Demo sign-ins (username / password / role):")
        for username, password, role in logins:
            click.echo(f"  {username:<22} {password:<16} {role}")


@reminders_cli.command("send")
def reminders_send() -> None:
    """Remind officials of courses due within 7 days or overdue (e-mail, else in-app notice).

    E-mail goes out when ELEARN_SMTP_URL is set and the person has an address. Each reminder
    is sent at most once per assignment and period, so running the command again sends
    nothing new; each batch is committed as it is done.
    """
    url = current_app.config.get("SMTP_URL")
    urls = current_app.url_map.bind("")  # local paths: notices link within the site
    site_url = current_app.config.get("PUBLIC_URL")

    def course_link(slug: str) -> str:
        return urls.build("learn.course", {"slug": slug})

    total = ReminderCounts()
    try:
        with Mailer(url, SITE_NAME) if url else nullcontext() as mailer:
            for counts in send_reminders(course_link=course_link, mailer=mailer, site_url=site_url):
                db.session.commit()
                total.add(counts)
            if mailer is not None:
                for counts in send_nudge_emails(mailer, course_link=course_link, site_url=site_url):
                    db.session.commit()
                    total.add(counts)
    except ElearnError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(
        f"Reminded {total.people} person(s): {total.emails} e-mail(s), "
        f"{total.notices} in-app notice(s)."
    )
    if total.email_failures:
        click.echo(
            f"{total.email_failures} e-mail(s) were refused by the server; "
            "those people got in-app notices instead."
        )


# Operations. Like the content modules, elearn.ops.backup and .doctor (Alembic, the SMTP and
# Redis clients) are imported by the commands that use them, not by every web worker.


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a backup of the database to FILE while the site serves (SQLite: a copy through
    its online backup API; PostgreSQL: pg_dump's custom format)."""
    from elearn.ops.backup import BackupProblem, backup

    db.session.remove()  # the copy is made outside this session
    try:
        report = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except BackupProblem as error:
        _fail(f"Error: {error}")
    revision = f", schema revision {report.revision}" if report.revision else ""
    click.echo(f"Backup written to {report.path} ({report.size:,} bytes{revision}).")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that already holds accounts.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace this instance's SQLite database with a backup made by `elearn backup`.

    Stop the application first. For PostgreSQL, use pg_restore (see the README).
    """
    from elearn.ops.backup import BackupProblem, restore_sqlite

    if not yes and _holds_accounts():
        _fail(
            "Error: this database already holds accounts; restoring replaces all of it. "
            "Stop the application, then run again with --yes."
        )
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the file while it is replaced
    try:
        report = restore_sqlite(file, current_app.config["SQLALCHEMY_DATABASE_URI"])
    except BackupProblem as error:
        _fail(f"Error: {error}")
    click.echo(f"Restored {file} into {report.path} (schema revision {report.revision}).")
    click.echo("Run `elearn db upgrade` if this version of elearn is newer than the backup.")


def _holds_accounts() -> bool:
    try:
        return db.session.scalar(db.select(User.id).limit(1)) is not None
    except SQLAlchemyError:
        db.session.rollback()
        return False  # no tables yet: a fresh instance


@click.command("doctor")
@with_appcontext
def doctor_command() -> None:
    """Check settings, database, migrations, content, e-mail and rate-limit storage; exit 1
    naming whatever is wrong."""
    from elearn.ops.doctor import FAIL, examine

    failures = []
    for finding in examine(current_app):
        click.echo(f"{finding.level:<4}  {finding.check}: {finding.detail}")
        if finding.level == FAIL:
            failures.append(finding.check)
    if failures:
        click.echo(f"Problems: {', '.join(dict.fromkeys(failures))}.", err=True)
        sys.exit(1)
    click.echo("Everything checked is in order.")
