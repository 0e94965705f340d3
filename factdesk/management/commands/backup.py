import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factdesk.backup import BackupFailed, backup_create


class Command(BaseCommand):
    help = (
        "Writes a consistent snapshot of the database to PATH (pg_dump custom format on "
        "PostgreSQL, an SQLite file on the embedded default) and prints one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            self.stdout.write(json.dumps(backup_create(path=path)))
        except BackupFailed as error:
            raise CommandError(str(error)) from None
