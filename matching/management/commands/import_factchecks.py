import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching.archive.parsers import parse_file
from matching.services import factchecks_import

MAX_FILE_BYTES = 200 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Imports fact-checks into the archive from schema.org ClaimReview JSON-LD (an object, a "
        "list, @graph, JSON lines, or HTML pages carrying it) and vclaims JSON lines. Importing "
        "the same fact-check again adds nothing. Problems are reported as FILE:LINE: reason; the "
        "valid records are imported anyway and the exit status is 1. Prints one JSON summary line."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files: list[Path], **options):
        created = existing = 0
        problems: list[str] = []
        for path in files:
            if not path.is_file():
                problems.append(f"{path}: no such file")
                continue
            if path.stat().st_size > MAX_FILE_BYTES:
                problems.append(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MB")
                continue
            try:
                content = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as error:
                problems.append(f"{path}:1: not UTF-8 text ({error.reason})")
                continue
            records, file_problems = parse_file(str(path), content)
            problems.extend(str(problem) for problem in file_problems)
            counts = factchecks_import(records=records, imported_from=path.name)
            created += counts.created
            existing += counts.existing
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(
            json.dumps({"created": created, "existing": existing, "problems": len(problems)})
        )
        if problems:
            raise CommandError(
                f"{len(problems)} problem(s) in the input; the valid records were imported"
            )
