from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.ingest.files import ArticleFileError, article_paths, read_article_file
from claims.services import DocumentRejected, document_ingest


class Command(BaseCommand):
    help = "Ingests article files (.txt with a header, .html) and directories of them."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)

    def handle(self, *args, paths: list[Path], **options):
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"No such file or directory: {', '.join(missing)}")
        files = article_paths(paths)
        counts = {"new": 0, "duplicate": 0, "failed": 0}
        failures = []
        for path in tqdm(files, desc="Ingesting", unit="file", disable=not files):
            try:
                article = read_article_file(path)
                result = document_ingest(
                    text=article.text,
                    title=article.title,
                    url=article.url,
                    outlet=article.outlet,
                    author=article.author,
                    language=article.language,
                    published_at=article.published_at,
                    raw_html=article.raw_html,
                )
            except (ArticleFileError, DocumentRejected) as error:
                counts["failed"] += 1
                failures.append(f"{path}: {error}")
                continue
            counts["new" if result.created else "duplicate"] += 1
        for failure in failures:
            self.stderr.write(f"failed: {failure}")
        self.stdout.write(
            f"{len(files)} files: {counts['new']} new, {counts['duplicate']} duplicate, "
            f"{counts['failed']} failed"
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} of {len(files)} files could not be ingested.")
