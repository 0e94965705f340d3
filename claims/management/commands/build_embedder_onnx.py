import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.extraction.embeddings import ONNX_DIR, onnx_metadata
from claims.extraction.onnx_export import build_int8_encoder


class Command(BaseCommand):
    help = (
        "Builds the int8 ONNX MiniLM encoder (the onnx-int8 embedding backend) from the pinned "
        "MiniLM package, offline, and writes it with its sha256 beside the other model files. "
        "With --check, builds it in a scratch directory and fails unless it is byte for byte the "
        "committed one. Prints one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=ONNX_DIR)
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, out: Path, check: bool, **options):
        if not check:
            metadata = build_int8_encoder(out)
            self.stdout.write(
                json.dumps({"file": str(out / metadata["file"]), **_summary(metadata)})
            )
            return
        committed = onnx_metadata()
        with tempfile.TemporaryDirectory() as scratch:
            built = build_int8_encoder(Path(scratch))
        result = {"committed_sha256": committed["sha256"], **_summary(built)}
        result["reproduced"] = built["sha256"] == committed["sha256"]
        self.stdout.write(json.dumps(result))
        if not result["reproduced"]:
            raise CommandError(
                "the build differs from the committed encoder (other torch, onnx or onnxruntime "
                f"versions than {committed['built_with']}?)"
            )


def _summary(metadata: dict) -> dict:
    return {"sha256": metadata["sha256"], "built_with": metadata["built_with"]}
