"""Import a legacy catalogue from CSV or XLSX into a section."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Page

from opengov_cms.catalogue.bulk import bulk_create_entries
from opengov_cms.catalogue.importer import ImportFileError, body_html, numbers_in_use, parse
from opengov_cms.catalogue.models import CatalogueIndexPage, DisclosureEntryPage, ImportedRow


class Command(BaseCommand):
    help = (
        "Import catalogue entries from a CSV (UTF-8) or XLSX file into a catalogue section. "
        "Columns: 标题, 发布机构 (required), 索引号, 文号, 主题分类, 文种, 文件类型, 成文日期, "
        "发布日期, 有效性, 主题词, 内容概述, 正文."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--section", type=int, required=True, help="The section's page id.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, write nothing."
        )
        parser.add_argument("--encoding", default="utf-8-sig", help="CSV encoding, e.g. gb18030.")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, path, section, dry_run, encoding, batch_size, **options):
        target = Page.objects.filter(pk=section).type(CatalogueIndexPage).first()
        if target is None:
            raise CommandError(f"No catalogue section with page id {section}.")
        target = target.specific
        try:
            rows, errors = parse(path, encoding)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        done = set(
            ImportedRow.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True)
        )
        pending = [row for row in rows if row.key not in done]
        errors += numbers_in_use(pending)
        if errors:
            for error in sorted(errors, key=lambda e: e.line):
                self.stderr.write(str(error))
            raise CommandError(f"{len(errors)} error(s); nothing was imported.")
        skipped = len(rows) - len(pending)
        if dry_run:
            self.stdout.write(
                f"{len(pending)} row(s) would be imported, {skipped} already imported; "
                "no errors (dry run, nothing written)."
            )
            return
        started = time.monotonic()
        imported = 0
        for start in range(0, len(pending), batch_size):
            batch = pending[start : start + batch_size]
            with transaction.atomic():
                entries = [
                    DisclosureEntryPage(
                        **{k: v for k, v in row.values.items() if k != "body"},
                        body=body_html(row.values["body"]),
                    )
                    for row in batch
                ]
                bulk_create_entries(target, entries)
                ImportedRow.objects.bulk_create(
                    [
                        ImportedRow(key=row.key, page_id=e.pk)
                        for row, e in zip(batch, entries, strict=True)
                    ]
                )
            imported += len(batch)
            self.progress(imported, len(pending), started)
        self.stdout.write(
            f"imported {imported} row(s) in {time.monotonic() - started:.1f} s; "
            f"{skipped} already imported"
        )

    def progress(self, done, total, started):
        width = 30
        filled = width * done // max(total, 1)
        rate = done / max(time.monotonic() - started, 1e-6)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {rate:.0f}/s")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()
