"""Setting up a real practice, and backing up its database, from the command line.

``python -m portal_app.admin create-practice --name "Oak Street Counseling" --time-zone America/New_York
--admin-email office@oakstreet.org`` migrates the configured database (``REFLEX_DB_URL``), creates the
practice and its first admin in one transaction, and prints a one-time link for the admin to
choose a password. Bad input is refused with a message and exit status 2, and nothing is written.

``python -m portal_app.admin backup FILE`` writes a complete copy of the configured database
while the portal runs; ``restore FILE --yes`` replaces the database with one (portal stopped).
See ``portal_app.backups`` and SECURITY.md.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from portal_app import routes
from portal_app.http_security import portal_address, public_url
from portal_app.services.account_results import AccountOutcome
from portal_app.services.one_time_links import INVITATION_LIFETIME

REFUSED = 2
# The option each refused field came from.
_OPTIONS = {
    "name": "--name",
    "time_zone": "--time-zone",
    "email": "--admin-email",
    "admin_name": "--admin-name",
    "phone": "--phone",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m portal_app.admin", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser(
        "create-practice",
        help="create a practice and its first admin, and print the admin's set-password link",
    )
    create.add_argument("--name", required=True, help='the practice\'s name, e.g. "Oak Street Counseling"')
    create.add_argument("--time-zone", required=True, help="an IANA zone, e.g. America/New_York")
    create.add_argument("--admin-email", required=True, help="the first admin's email (their sign-in)")
    create.add_argument("--admin-name", default="", help='the admin\'s name (default "Practice admin")')
    create.add_argument("--phone", default="", help="the phone number clients are told to call")
    backup = commands.add_parser("backup", help="write a complete copy of the database to a new file")
    backup.add_argument("file", type=Path, help="where to write it (must not exist yet)")
    restore = commands.add_parser("restore", help="replace everything in the database with a backup")
    restore.add_argument("file", type=Path, help="a file written by the backup command")
    restore.add_argument("--yes", action="store_true", help="confirm: the database's present data is lost")
    return parser


def _backup_or_restore(args: argparse.Namespace) -> int:
    from portal_app.backups import BackupError, backup_database, restore_database
    from portal_app.database import get_engine

    if args.command == "restore" and not args.yes:
        print(
            "Not restored: add --yes to replace everything in the database. Nothing was changed.",
            file=sys.stderr,
        )
        return REFUSED
    try:
        if args.command == "backup":
            backup_database(get_engine(), args.file)
        else:
            restore_database(get_engine(), args.file)
    except BackupError as error:
        print(f"Not {'backed up' if args.command == 'backup' else 'restored'}: {error}", file=sys.stderr)
        return REFUSED
    print(f"Backed up to {args.file}." if args.command == "backup" else f"Restored from {args.file}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one admin command; returns the exit status (0 done, 2 refused or failed)."""
    from portal_app.database import get_engine, open_session
    from portal_app.migrations import upgrade_to_head
    from portal_app.services.invitations import create_practice
    from portal_app.state.wording import account_text

    args = _parser().parse_args(argv)
    if args.command in ("backup", "restore"):
        return _backup_or_restore(args)
    upgrade_to_head(get_engine())
    with open_session(for_writing=True) as session:
        result = create_practice(
            session=session,
            name=args.name,
            time_zone=args.time_zone,
            admin_email=args.admin_email,
            admin_name=args.admin_name,
            phone=args.phone,
            now=datetime.now(UTC),
        )
    if result.outcome != AccountOutcome.PRACTICE_CREATED:
        option = f"{_OPTIONS[result.field_name]}: " if result.field_name in _OPTIONS else ""
        print(f"Not created: {option}{account_text(result)} Nothing was written.", file=sys.stderr)
        return REFUSED
    days = INVITATION_LIFETIME.days
    print(f"Practice created: {args.name.strip()} ({args.time_zone}).")
    print(f"First admin: {result.name} <{result.email}>, with no password yet.")
    print(f"Open this link within {days} days to choose the password (it works once):")
    print(f"  {routes.set_password_link(portal_address(), result.token)}")
    if not public_url():
        print(
            "PORTAL_PUBLIC_URL is not set, so the link points at this machine; "
            "set it to the portal's address for links in emails."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
