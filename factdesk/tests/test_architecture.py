"""The architecture contract (pyproject's [tool.importlinter]) holds on this tree, and breaks on a
copy of it given a deliberately wrong import: so `make lint` would catch one."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the project's packages (Python files only) and its contract."""
    for package in ("factdesk", "claims", "reviews", "matching", "alerts", "dashboard"):
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.npz", "*.json", "templates"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contract_holds_on_the_project():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_claims_importing_reviews_breaks_the_contract(tree: Path):
    assert lint_imports(tree).returncode == 0
    (tree / "claims" / "shortcut.py").write_text("from reviews.services import evidence_add\n")
    (tree / "reviews" / "shortcut.py").write_text("from alerts.services import alerts_notify\n")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert (
        "Layers: dashboard > alerts > matching > reviews > claims > factdesk BROKEN"
        in result.stdout
    )
    assert "claims.shortcut -> reviews.services" in result.stdout
    assert "reviews.shortcut -> alerts.services" in result.stdout


def test_the_plumbing_importing_an_app_breaks_the_contract(tree: Path):
    (tree / "factdesk" / "shortcut.py").write_text("import claims.models\n")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert "factdesk.shortcut -> claims.models" in result.stdout


def test_the_engine_importing_django_even_indirectly_breaks_the_contract(tree: Path):
    (tree / "claims" / "helpers.py").write_text("from django.conf import settings\n")
    (tree / "claims" / "extraction" / "shortcut.py").write_text("import claims.helpers\n")

    result = lint_imports(tree)

    assert result.returncode != 0
    assert "The claim engine and the ingest readers import no Django BROKEN" in result.stdout
    assert "claims.extraction.shortcut -> claims.helpers" in result.stdout
