import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factdesk.backup import BackupFailed, backup_restore


class Command(BaseCommand):
    help = (
        "Replaces the database's contents with the snapshot at PATH (made by `backup`) and "
        "prints one JSON line. Stop the web server, workers and beat first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path: Path, yes: bool, **options):
        if not path.is_file():
            raise CommandError(f"{path} does not exist")
        if not yes and input(f"Replace the database with {path}? [y/N] ").lower() != "y":
            raise CommandError("not restored")
        try:
            self.stdout.write(json.dumps(backup_restore(path=path)))
        except BackupFailed as error:
            raise CommandError(str(error)) from None
