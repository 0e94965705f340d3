"""Outside `make run` and the tests, debug mode is off and the deploy checks pass on the defaults."""

import os
import subprocess
import sys

from django.conf import settings

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "FACTDESK_")) and k != "PYTEST_VERSION"
    }
    return {**env, **extra}


def test_debug_is_off_by_default_and_the_secret_key_is_required():
    missing = subprocess.run([*MANAGE, "check"], env=_env(), capture_output=True, text=True)
    assert missing.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in missing.stderr

    shown = subprocess.run(
        [*MANAGE, "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"],
        env=_env(DJANGO_SECRET_KEY="k" * 60),
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.splitlines()[-1] == "False"


def test_check_deploy_is_clean_on_the_defaults():
    key = "a-long-random-looking-key-" + "x7Qp2" * 10
    checked = subprocess.run(
        [*MANAGE, "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(DJANGO_SECRET_KEY=key),
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout
