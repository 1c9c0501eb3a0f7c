"""Create the sandbox's admin account once and print how to sign in."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the 'admin' superuser if missing and print its credentials."

    def handle(self, *args, **options):
        password_file = settings.VAR_DIR / "demo-admin-password.txt"
        User = get_user_model()
        user = User.objects.filter(username="admin").first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_superuser("admin", "admin@example.com", password)
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n", encoding="utf-8")
        password = password_file.read_text(encoding="utf-8").strip()
        self.stdout.write(
            self.style.SUCCESS(
                f"admin sign-in: {settings.WAGTAILADMIN_BASE_URL}/admin/  "
                f"user: admin  password: {password}"
            )
        )
