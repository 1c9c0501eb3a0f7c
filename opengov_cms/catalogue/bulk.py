"""Creating many catalogue entries at once, without Wagtail's one-page-at-a-time path.

``add_child`` locks and rewrites the parent for every page; a legacy catalogue of a million
entries would take days. Here each year folder gets its new children's tree paths worked out
in Python, the page rows and the entry rows are inserted in batches, and the index numbers,
listing rows and numchild counts are written in bulk too. Pages made this way are live and
published, like pages published in the admin, but have no revision until first edited.
"""

import uuid
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page

from opengov_cms.catalogue.documents import catalogue_fields
from opengov_cms.catalogue.filing import year_folder
from opengov_cms.core.index_numbers import format_index_number
from opengov_cms.core.models import IndexNumber, IndexNumberSequence
from opengov_cms.core.pages import share_site_root_paths


def next_child_paths(parent, count):
    """The tree paths of ``count`` new last children of ``parent``."""
    last = parent.get_last_child()
    start = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    return [Page._get_path(parent.path, parent.depth + 1, start + n) for n in range(count)]


def reserve_index_numbers(organisation, year, count):
    """Take ``count`` numbers of an organisation's sequence for ``year`` in one locked step."""
    sequence, _ = IndexNumberSequence.objects.get_or_create(organisation=organisation, year=year)
    sequence = IndexNumberSequence.objects.select_for_update().get(pk=sequence.pk)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return [format_index_number(organisation, year, seq) for seq in range(first, first + count)]


def bulk_create_entries(section, entries, model=None):
    """Create and publish ``entries`` (unsaved entry instances) under ``section``'s year
    folders, in one transaction. Returns the saved pages."""
    from opengov_cms.catalogue.models import CatalogueItem, DisclosureEntryPage

    model = model or DisclosureEntryPage
    content_type = ContentType.objects.get_for_model(model)
    locale = Locale.get_default()
    now = timezone.now()
    by_year = defaultdict(list)
    for entry in entries:
        by_year[entry.year or timezone.localdate().year].append(entry)

    with transaction.atomic():
        numbers_needed = defaultdict(list)
        for entry in entries:
            if not entry.index_number:
                numbers_needed[(entry.organisation, entry.year or now.year)].append(entry)
        for (organisation, year), group in numbers_needed.items():
            for entry, number in zip(
                group, reserve_index_numbers(organisation, year, len(group)), strict=True
            ):
                entry.index_number = number

        created = []
        for year, group in sorted(by_year.items()):
            folder = Page.objects.select_for_update().get(pk=year_folder(section, year).pk)
            paths = next_child_paths(folder, len(group))
            for entry, path in zip(group, paths, strict=True):
                entry.path = path
                entry.depth = folder.depth + 1
                entry.numchild = 0
                entry.slug = entry.slug or slugify(entry.index_number.replace("/", "-"))
                entry.url_path = f"{folder.url_path}{entry.slug}/"
                entry.content_type = content_type
                entry.locale = locale
                entry.translation_key = uuid.uuid4()
                entry.live = True
                entry.has_unpublished_changes = False
                entry.draft_title = entry.title
                entry.first_published_at = entry.last_published_at = now
                entry.latest_revision_created_at = None
                entry.publication_date = entry.publication_date or now.date()
            insert_multi_table(model, group)
            Page.objects.filter(pk=folder.pk).update(numchild=F("numchild") + len(group))
            created.extend(group)

        IndexNumber.objects.bulk_create(
            [
                IndexNumber(
                    value=e.index_number,
                    organisation_id=e.organisation_id,
                    year=e.year,
                    page_id=e.pk,
                )
                for e in created
            ],
            batch_size=2000,
        )
        CatalogueItem.objects.bulk_create(
            [
                CatalogueItem(page_id=e.pk, **catalogue_fields(e))
                for e in share_site_root_paths(created)
            ],
            batch_size=2000,
        )
    return created


def insert_multi_table(model, objs, batch_size=1000):
    """Insert rows of a multi-table model (Page → …→ model) table by table.

    Django's bulk_create refuses multi-table models; inserting each table's own columns
    in order, parent first, is what it would do one object at a time.
    """
    chain = [model, *model._meta.get_parent_list()][::-1]  # Page first, model last
    for klass in chain:
        fields = [
            f for f in klass._meta.local_concrete_fields if not (f.primary_key and klass is Page)
        ]
        # Within the backend's limit on parameters a statement (999 on SQLite, as
        # bulk_create keeps to): SQLite compiles and caches every distinct statement, and
        # one of a thousand rows takes megabytes of memory the process keeps.
        size = max(1, min(batch_size, connection.ops.bulk_batch_size(fields, objs)))
        if klass is Page:
            for start in range(0, len(objs), size):
                batch = objs[start : start + size]
                returned = klass._base_manager._insert(
                    batch, fields=fields, returning_fields=[klass._meta.pk], using=connection.alias
                )
                for obj, row in zip(batch, returned, strict=True):
                    obj.pk = obj.id = row[0]
                    obj._state.adding = False
                    obj._state.db = connection.alias
        else:
            for obj in objs:
                setattr(obj, klass._meta.pk.attname, obj.id)
            for start in range(0, len(objs), size):
                klass._base_manager._insert(
                    objs[start : start + size], fields=fields, using=connection.alias
                )
