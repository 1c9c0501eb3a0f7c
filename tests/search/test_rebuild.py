"""The rebuild and check commands at scale: pages read in keyset chunks with a fixed number of
queries each, counts compared per page type. Pages here are the package's own entries."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opengov_cms.schedule import BEAT_SCHEDULE
from opengov_cms.search import analysis, indexing
from opengov_cms.search.backends import get_search_backend
from opengov_cms.search.models import PendingSearchUpdate
from opengov_cms.search.tasks import sync_pending
from tests.search.conftest import engine_options
from tests.services import service_url


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def test_the_check_names_the_page_type_that_differs(site_backend, publish_entry, on_commit, capsys):
    entries = [on_commit(publish_entry, title=f"关于第{n}批名录的公告") for n in range(3)]
    call_command("opengov_search_rebuild")
    call_command("opengov_search_check")
    assert "opengov_catalogue.disclosureentrypage: 3 pages, 3 documents" in (
        capsys.readouterr().out
    )
    assert site_backend.search("名录").total == 3
    site_backend.delete([f"page:{entries[0].pk}"])
    with pytest.raises(
        CommandError, match=r"by -1 documents \(opengov_catalogue.disclosureentrypage"
    ):
        call_command("opengov_search_check")
    assert "opengov_catalogue.disclosureentrypage: 3 pages, 2 documents (-1)" in (
        capsys.readouterr().out
    )


def chunk_queries(chunk_size):
    """The queries each chunk of a rebuild's reading costs, chunk by chunk."""
    chunks = indexing.iter_document_chunks(chunk_size, restrictions=indexing.Restrictions())
    counts = []
    while True:
        with CaptureQueriesContext(connection) as context:
            chunk = next(chunks, None)
        if chunk is None:
            return counts
        counts.append(len(context.captured_queries))


def rebuild_queries(chunk_size):
    analysis.invalidate_terms()  # the dictionary is read once per rebuild, not at random
    with CaptureQueriesContext(connection) as context:
        call_command("opengov_search_rebuild", only="public", chunk_size=chunk_size)
    return len(context.captured_queries)


def test_rebuild_reads_a_fixed_number_of_queries_per_chunk(publish_entry, capsys):
    for n in range(10):
        publish_entry(title=f"关于公布第{n}批非物质文化遗产代表性项目名录的通知")
    rebuild_queries(10)  # caches warmed: content types, site root paths
    small = chunk_queries(10)
    small_total = rebuild_queries(10)
    for n in range(10, 40):
        publish_entry(title=f"关于公布第{n}批非物质文化遗产代表性项目名录的通知")
    large = chunk_queries(10)
    large_total = rebuild_queries(10)

    assert len(small) == 1 and len(large) == 4
    assert len(set(small + large)) == 1
    # The whole rebuild grows by exactly the reading of the three extra chunks: writing the
    # documents costs the same few statements for 10 or 40.
    assert large_total - small_total == 3 * small[0]
    assert get_search_backend().count() == 40
    assert "40/40 pages" in capsys.readouterr().out


def test_a_rebuild_reads_the_site_root_paths_once_per_chunk(publish_entry):
    """Each document has the page's URL; with the cache shared between processes (Redis),
    reading the site's root paths for each page would be a round trip per document."""
    from unittest import mock

    from wagtail.models import Site

    pages = [publish_entry(title=f"关于第{n}批文物保护单位的通知") for n in range(25)]
    with mock.patch.object(
        Site, "get_site_root_paths", wraps=Site.get_site_root_paths
    ) as read_paths:
        documents = list(indexing.iter_documents(chunk_size=10))
    assert read_paths.call_count == 3
    urls = {document["id"]: document["url"] for document in documents}
    for page in pages:
        assert urls[indexing.document_id(page.pk)] == page.url


@pytest.mark.opensearch
def test_changes_made_while_the_engine_is_down_are_applied_by_the_sync_job(
    settings, publish_entry, on_commit
):
    pytest.importorskip("opensearchpy")
    options = engine_options(service_url("opensearch"))
    engine = "opengov_cms.search.backends.engine.OpenSearchBackend"
    settings.OPENGOV_CMS_SEARCH = {
        "BACKEND": engine,
        "OPTIONS": {**options, "HOSTS": ["http://127.0.0.1:9"], "TIMEOUT": 1},
    }
    kept = on_commit(publish_entry, title="关于开展文物安全检查的通知")
    withdrawn = on_commit(publish_entry, title="关于开展文物普查的通知")
    on_commit(withdrawn.unpublish)
    waiting = set(PendingSearchUpdate.objects.values_list("document_id", flat=True))
    # With the section's year folder, published on the way (not searchable: a removal).
    assert {f"page:{kept.pk}", f"page:{withdrawn.pk}"} <= waiting
    # Still down: nothing is lost.
    assert sync_pending() == 0
    assert PendingSearchUpdate.objects.count() == len(waiting)

    settings.OPENGOV_CMS_SEARCH = {"BACKEND": engine, "OPTIONS": options}
    backend = get_search_backend()
    try:
        assert sync_pending() == len(waiting)
        assert backend.search("文物").ids == [f"page:{kept.pk}"]
        assert not PendingSearchUpdate.objects.exists()
    finally:
        backend.drop()


def test_the_sync_job_is_on_the_beat_schedule():
    entry = BEAT_SCHEDULE["opengov_cms.search.sync_pending"]
    assert entry["task"] == sync_pending.name
