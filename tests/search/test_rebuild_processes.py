"""An engine rebuild analyses its batches in forked processes (REBUILD_PROCESSES), against
the real node: the same index as analysing in the rebuilding process, the site's terms, the
rebuilding process's database connection untouched, errors raised where the rebuild runs."""

import logging
import multiprocessing
import os

import pytest
from django.db import connection

from opengov_cms.search import analysis
from opengov_cms.search.backends import processes
from opengov_cms.search.models import SearchTerm
from tests.search.conftest import make_backend
from tests.search.test_contract import DOCUMENTS, ids, many


@pytest.fixture
def engine(request, db, monkeypatch):
    from opengov_cms.search.backends import engine

    monkeypatch.setattr(engine, "BULK_CHUNK", 2)  # several batches from a few documents
    made = []

    def make(**options):
        backend = make_backend(request, "opensearch", **options)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.drop()


def sources(backend):
    response = backend.client.search(index=backend.alias, body={"size": 100})
    return {hit["_id"]: hit["_source"] for hit in response["hits"]["hits"]}


@pytest.mark.opensearch
def test_the_index_is_the_same_whether_analysed_in_processes_or_not(engine):
    documents = [*DOCUMENTS, *many(9)]
    in_processes = engine(REBUILD_PROCESSES=2)
    here = engine(REBUILD_PROCESSES=0)
    assert in_processes.rebuild(iter(documents)) == len(documents)
    assert here.rebuild(iter(documents)) == len(documents)
    assert sources(in_processes) == sources(here)
    assert len(sources(here)) == len(documents)
    found = ids(in_processes.search("预算"))
    assert "page:2" in found
    assert found == ids(here.search("预算"))


@pytest.mark.opensearch
def test_the_analysis_processes_know_the_sites_terms(engine):
    analysis.invalidate_terms()
    SearchTerm.objects.create(term="三同步")
    try:
        backend = engine(REBUILD_PROCESSES=1)
        document = {**DOCUMENTS[0], "id": "page:50", "title": "落实三同步要求的通知"}
        backend.rebuild(iter([document]))
        assert "三同步" in sources(backend)["page:50"]["words"].split()
    finally:
        analysis.invalidate_terms()


@pytest.mark.opensearch
def test_the_rebuilding_process_keeps_its_database_session(engine):
    with connection.cursor() as cursor:
        vendor_pid = "SELECT pg_backend_pid()" if connection.vendor == "postgresql" else None
        if vendor_pid:
            cursor.execute(vendor_pid)
            before = cursor.fetchone()
    engine(REBUILD_PROCESSES=1).rebuild(many(7))
    # The processes ended without closing the connection they were forked with: the same
    # session answers, inside the same transaction.
    SearchTerm.objects.create(term="依申请公开")
    assert SearchTerm.objects.filter(term="依申请公开").exists()
    if vendor_pid:
        with connection.cursor() as cursor:
            cursor.execute(vendor_pid)
            assert cursor.fetchone() == before


@pytest.mark.opensearch
def test_a_document_the_analysis_refuses_stops_the_rebuild_and_keeps_the_old_index(engine):
    backend = engine(REBUILD_PROCESSES=1)
    backend.rebuild(iter(DOCUMENTS))
    broken = [*many(5), {"title": "没有编号的文件"}]
    with pytest.raises(ValueError, match="needs an 'id'"):
        backend.rebuild(iter(broken))
    assert backend.count() == len(DOCUMENTS)
    assert ids(backend.search("新文件")) == set()


@pytest.mark.opensearch
def test_where_processes_cannot_start_the_rebuild_analyses_them_itself(engine, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OSError("fork refused")

    monkeypatch.setattr(processes, "ProcessPoolExecutor", refuse)
    with caplog.at_level(logging.WARNING, logger=processes.__name__):
        assert engine(REBUILD_PROCESSES=1).rebuild(many(7)) == 7
    assert "fork refused" in caplog.text


def test_batches_are_analysed_in_other_processes(db):
    with processes.BatchAnalysis(1) as analysing:
        assert analysing.processes == 1
        assert analysing.submit(os.getpid).result() != os.getpid()
    with processes.BatchAnalysis(0) as analysing:
        assert analysing.submit(os.getpid).result() == os.getpid()


def _analyse_in_a_daemon(results):
    with processes.BatchAnalysis(1) as analysing:
        results.put((analysing.processes, analysing.submit(os.getpid).result() == os.getpid()))


def test_a_process_that_may_not_have_children_analyses_the_batches_itself(db):
    # A daemonic process (as a Celery worker's may be) is refused children.
    analysis.load_terms()  # loaded here: the process below must not read the database
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    daemon = context.Process(target=_analyse_in_a_daemon, args=(results,), daemon=True)
    daemon.start()
    try:
        assert results.get(timeout=60) == (0, True)
    finally:
        daemon.join(timeout=60)
