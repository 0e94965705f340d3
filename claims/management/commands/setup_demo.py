import os
import secrets

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

DEMO_ACCOUNTS = [
    ("reviewer", ["reviewer"], False),
    ("editor", ["editor"], False),
    ("admin", [], True),
]


class Command(BaseCommand):
    help = (
        "Creates the demo accounts (reviewer, editor, admin). Their password is "
        "FACTDESK_DEMO_PASSWORD when set, otherwise a random one kept in var/demo-credentials.txt."
    )

    def handle(self, *args, **options):
        credentials_file = settings.BASE_DIR / "var" / "demo-credentials.txt"
        known = _read_credentials(credentials_file)
        chosen = os.environ.get("FACTDESK_DEMO_PASSWORD", "")
        for username, groups, is_superuser in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "is_staff": True,
                    "is_superuser": is_superuser,
                    "email": f"{username}@factdesk.example",
                },
            )
            password = chosen or known.get(username) or secrets.token_urlsafe(12)
            if created or chosen or username not in known:
                user.set_password(password)
                user.is_staff = True
                user.save()
            user.groups.add(*Group.objects.filter(name__in=groups))
            known[username] = password
            state = "created" if created else "exists"
            self.stdout.write(f"  {username:<9} password: {password}  ({state})")
        credentials_file.parent.mkdir(parents=True, exist_ok=True)
        credentials_file.write_text("".join(f"{name} {pw}\n" for name, pw in known.items()))
        credentials_file.chmod(0o600)
        self.stdout.write(f"Demo accounts ready; passwords are kept in {credentials_file}.")


def _read_credentials(path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return {name: password for name, password in pairs}
