"""Re-encrypt the personal data of every model with encrypted fields (applicants', and the
senders of public messages) with the first key of the encryption setting."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from opengov_cms.disclosure_requests import crypto


def encrypted_fields(model):
    return [f for f in model._meta.fields if isinstance(f, crypto.EncryptedTextField)]


def encrypted_models():
    """Every installed model with an EncryptedTextField, whichever app it is in."""
    return [model for model in apps.get_models() if encrypted_fields(model)]


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data with the first key of OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS; "
        "afterwards the older keys can be removed from the setting."
    )

    def handle(self, *args, **options):
        total = 0
        for model in encrypted_models():
            columns = [f.attname for f in encrypted_fields(model)]
            # Work on the stored tokens, never on plain text, row by row in its own
            # transaction so a large table is not locked at once.
            for pk in model.objects.values_list("pk", flat=True).iterator():
                with transaction.atomic():
                    if not model.objects.select_for_update().filter(pk=pk).exists():
                        continue
                    raw = self.raw_values(model, pk, columns)
                    updates = {c: crypto.rotate(v) for c, v in raw.items() if v}
                    if updates:
                        self.write_raw(model, pk, updates)
                        total += 1
        if options["verbosity"]:
            self.stdout.write(f"Re-encrypted {total} rows.")

    @staticmethod
    def raw_values(model, pk, columns):
        from django.db import connection

        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {names} FROM {table} WHERE id = %s", [pk])
            return dict(zip(columns, cursor.fetchone(), strict=True))

    @staticmethod
    def write_raw(model, pk, updates):
        from django.db import connection

        table = connection.ops.quote_name(model._meta.db_table)
        assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in updates)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE id = %s", [*updates.values(), pk]
            )
