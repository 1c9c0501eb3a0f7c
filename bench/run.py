"""Run the benchmarks at one size on one database and write bench/results/<name>.json.

    python -m bench.run --size 10000 --database postgres
    python -m bench.run --size 100000 --database sqlite --requests 200

Each figure is measured beside its baseline in the same run, on the same data, through
the same gunicorn server and middleware. The database is the benchmark's own: a new
PostgreSQL database on the server of ci/postgres/start, or a temporary SQLite file.
"""

import argparse
import datetime
import itertools
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

# The targets, checked in the report: (field, limit, how the ratio is read).
TARGETS = {
    "detail": "p95 ≤ 1.3× baseline; queries per request the same at every size",
    "listing_first": "p95 ≤ 1.5× baseline; no COUNT(*) per request",
    "listing_deep": "p95 ≤ 1.5× baseline; deep page ≤ 1.2× first page",
    "cached": "p95 ≤ 2× baseline",
    "search_database": "p95 ≤ 1.3× its own query; every query's p95 at the largest size ≤ 2× "
    "at 10k; PostgreSQL 1M: p95 ≤ 3× the section list's first page",
    "search_engine": "p95 ≤ took + 10 ms; every query's p95 at 1M ≤ 2× at 10k",
    "bulk_import": "≥ 20× faster than add_child; ratio to COPY reported; flat memory",
    "indexing": "≤ 2× a raw bulk load",
    "statistics": "≤ 1.3× one GROUP BY; a constant number of queries",
    "request_form": "≥ 100 submissions/s, 0 errors; ratio reported",
}


def log(message):
    stamp = datetime.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def progress(label):
    last = [0.0]

    def report(done, total, elapsed):
        if time.monotonic() - last[0] > 10 or done == total:
            last[0] = time.monotonic()
            log(f"{label}: {done}/{total} in {elapsed:.0f} s ({done / max(elapsed, 1e-6):.0f}/s)")

    return report


def postgres_admin_url():
    url = os.environ.get("BENCH_POSTGRES_URL")
    if not url:
        out = subprocess.run(
            [str(ROOT / "ci" / "postgres" / "start")], capture_output=True, text=True, check=True
        ).stdout
        url = out.strip().splitlines()[-1].split()[-1]
    return url


def create_postgres_database(name):
    import psycopg

    admin = postgres_admin_url()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _db = admin.rpartition("/")
    return f"{base}/{name}", admin


def drop_postgres_database(name, admin):
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_url():
    url = os.environ.get("BENCH_REDIS_URL")
    if url is None:
        try:
            out = subprocess.run(
                [str(ROOT / "ci" / "redis" / "start")], capture_output=True, text=True, check=True
            ).stdout
            url = out.strip().splitlines()[-1].split()[-1]
        except (OSError, subprocess.CalledProcessError):
            return ""
    # A database of its own, so flushing it touches nobody else's keys (BENCH_REDIS_DB: another
    # one, for two runs on one machine at once).
    database = os.environ.get("BENCH_REDIS_DB", "13")
    return url.rsplit("/", 1)[0] + f"/{database}" if url else ""


def opensearch_url():
    url = os.environ.get("BENCH_OPENSEARCH_URL", "http://127.0.0.1:9200")
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return url if response.status == 200 else ""
    except OSError:
        return ""


def machine():
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    import django
    import wagtail

    memory = subprocess.run(["free", "-m"], capture_output=True, text=True).stdout
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "commit": commit,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory.strip(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "platform": platform.platform(),
    }


def search_path(query, filters=None):
    path = f"/opengov/search/?q={quote(query)}"
    for name, values in (filters or {}).items():
        path += "".join(f"&{name}={quote(value)}" for value in values)
    return path


def ratio(subject, baseline):
    if not subject or not baseline:
        return None
    return round(subject / baseline, 3)


def compare(subject, baseline, target, key="p95_ms"):
    return {
        "subject": subject,
        "baseline": baseline,
        "ratio": ratio(subject.get(key), baseline.get(key)),
        "target": target,
    }


class Run:
    def __init__(self, args):
        self.args = args
        # label → (query, filters) of the searches narrowed by a facet (``search_queries``)
        self.search_filters = {}
        self.size = args.size
        self.requests = args.requests
        self.results = {
            "name": args.name,
            "size": args.size,
            "database": args.database,
            "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            # Search costs what a page shows (counts capped, only the top candidates ranked):
            # runs without this were measured before, and are not compared with these.
            "search_version": 2,
            "settings": {},
            "scenarios": {},
        }
        self.done = []
        if args.resume:
            self.workdir = Path(args.resume)
            state = json.loads((self.workdir / self.STATE).read_text())
            self.results, self.env, self.done = state["results"], state["env"], state["done"]
        else:
            self.workdir = Path(tempfile.mkdtemp(prefix="opengov-bench-"))
            self.env = {
                "BENCH_BYTES_DIR": str(self.workdir / "bytes"),
                "BENCH_MEDIA_ROOT": str(self.workdir / "media"),
                "BENCH_INDEX_PREFIX": f"bench{args.size}{args.database[:2]}{os.getpid()}",
            }
        self.bytes_dir = self.workdir / "bytes"
        self.bytes_dir.mkdir(exist_ok=True)
        self.server_log = self.workdir / "gunicorn.log"

    # Setting up --------------------------------------------------------------------------

    def database(self):
        if self.args.database == "postgres":
            # BENCH_DATABASE_NAME: another name, for two runs on one machine at once.
            name = os.environ.get("BENCH_DATABASE_NAME") or f"opengov_bench_{self.size}"
            if self.args.resume:
                url, admin = self.env["BENCH_DATABASE_URL"], postgres_admin_url()
            else:
                url, admin = create_postgres_database(name)
            self.cleanup_db = lambda: drop_postgres_database(name, admin)
        else:
            url = f"sqlite:///{self.workdir / 'bench.sqlite3'}"
            self.cleanup_db = lambda: None
        self.env["BENCH_DATABASE_URL"] = url
        self.env["BENCH_REDIS_URL"] = redis_url()
        os.environ.update(self.env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        import django

        django.setup()
        from django.core.management import call_command

        if self.args.resume:
            log(f"resuming on {self.args.database} ({url.rsplit('@', 1)[-1]}), done: {self.done}")
        else:
            log(f"migrating {self.args.database} ({url.rsplit('@', 1)[-1]})")
            call_command("migrate", verbosity=0, interactive=False)
        if self.env["BENCH_REDIS_URL"]:
            from django.core.cache import cache

            cache.clear()

    def load(self):
        from bench import load

        if self.args.resume:
            self.site = load.find_site()
            return
        self.site = load.setup_site()
        folders = load.make_year_folders(self.site)
        log(f"year folders made in {folders:.0f} s")
        log(f"loading {self.size} documents")
        documents = load.load_documents(self.site, self.size, progress("documents"))
        log(f"loading {self.size} requests")
        requests = load.load_requests(self.site, self.size, progress("requests"))
        self.results["load"] = {
            "year_folders_seconds": round(folders, 1),
            "documents": documents,
            "requests": requests,
        }

    # Bulk import -------------------------------------------------------------------------

    def bulk_import(self):
        """The loader's rate against add_child on a sample, and against COPY of its rows."""
        from django.db import connection, transaction

        from bench import data, load
        from opengov_cms.catalogue.documents import sync_catalogue_item
        from opengov_cms.catalogue.filing import add_to_section
        from opengov_cms.catalogue.models import CatalogueIndexPage, DisclosureEntryPage

        sample = self.args.sample
        # A resumed run that stopped in this part starts it again with a new sample.
        for earlier in CatalogueIndexPage.objects.child_of(self.site["roots"][0]).filter(
            slug="sample"
        ):
            earlier.delete()
        section = load.publish(
            self.site["roots"][0], CatalogueIndexPage(title="逐页添加样本", slug="sample")
        )
        generator = data.Generator(self.size, topics=len(self.site["topics"]), seed=7)
        docs = [generator.document("entry") for _ in range(sample)]
        for doc in docs:
            doc.organisation = 0
            doc.publication_date = doc.written_date = datetime.date(2024, 6, 1)
        # One page first, so the year folder exists before the clock starts.
        first = load.page_for(docs.pop(), self.site)
        add_to_section(section, first)
        started = time.perf_counter()
        for doc in docs:
            with transaction.atomic():
                page = add_to_section(section, load.page_for(doc, self.site))
                sync_catalogue_item(page)
        add_child_seconds = time.perf_counter() - started
        add_child_rate = len(docs) / add_child_seconds
        loaded = self.results["load"]["documents"]
        bulk_rate = loaded["rate_per_second"]
        result = {
            "bulk_rate_per_s": round(bulk_rate, 1),
            "bulk_seconds": round(loaded["seconds"] - loaded["generating_seconds"], 2),
            "add_child_sample": len(docs),
            "add_child_rate_per_s": round(add_child_rate, 1),
            "add_child_extrapolated_seconds": round(self.size / add_child_rate, 1),
            "ratio_vs_add_child": round(bulk_rate / add_child_rate, 1),
            "rss_first_batch_mb": round(loaded["rss_first_batch"] / 2**20, 1),
            "rss_last_batch_mb": round(loaded["rss_last_batch"] / 2**20, 1),
            "rss_growth_mb": round(
                (loaded["rss_last_batch"] - loaded["rss_first_batch"]) / 2**20, 1
            ),
            "target": TARGETS["bulk_import"],
        }
        if connection.vendor == "postgresql":
            result.update(self.copy_baseline())
        self.results["scenarios"]["bulk_import"] = result
        assert DisclosureEntryPage.objects.filter(pk=first.pk).exists()

    def copy_baseline(self):
        """COPY the rows the bulk path wrote (pages, entries, policies, interpretations,
        listing rows, index numbers) into copies of their tables, indexes included."""
        from django.db import connection

        tables = [
            "wagtailcore_page",
            "opengov_catalogue_disclosureentrypage",
            "opengov_policies_policydocumentpage",
            "opengov_policies_interpretationpage",
            "opengov_catalogue_catalogueitem",
            "opengov_core_indexnumber",
        ]
        dump = self.workdir / "copy"
        dump.mkdir()
        rows = 0
        raw = connection.connection
        with connection.cursor():
            pass
        for table in tables:
            with raw.cursor() as cursor, open(dump / table, "wb") as out:
                with cursor.copy(f"COPY {table} TO STDOUT") as copy:
                    for chunk in copy:
                        out.write(chunk)
                cursor.execute(f"DROP TABLE IF EXISTS bench_copy_{table}")
                cursor.execute(f"CREATE TABLE bench_copy_{table} (LIKE {table} INCLUDING ALL)")
            raw.commit()
        started = time.perf_counter()
        for table in tables:
            with raw.cursor() as cursor, open(dump / table, "rb") as source:
                with cursor.copy(f"COPY bench_copy_{table} FROM STDIN") as copy:
                    while chunk := source.read(1 << 20):
                        copy.write(chunk)
                cursor.execute(f"SELECT count(*) FROM bench_copy_{table}")
                rows += cursor.fetchone()[0]
        raw.commit()
        copy_seconds = time.perf_counter() - started
        for table in tables:
            with raw.cursor() as cursor:
                cursor.execute(f"DROP TABLE bench_copy_{table}")
        raw.commit()
        shutil.rmtree(dump)
        bulk_seconds = self.results["load"]["documents"]["seconds"]
        bulk_seconds -= self.results["load"]["documents"]["generating_seconds"]
        return {
            "copy_rows": rows,
            "copy_seconds": round(copy_seconds, 2),
            "ratio_vs_copy": round(bulk_seconds / copy_seconds, 2),
        }

    # Search indexing ---------------------------------------------------------------------

    def indexing(self):
        """The rebuild command's path, against a raw load of the rows it wrote."""
        from django.core.management import call_command
        from django.db import connection

        # The public index is the one the raw load copies; the editors' index of every page
        # (opengov_cms.search.admin_index) is rebuilt by the same command and timed apart.
        devnull = open(os.devnull, "w")  # noqa: SIM115
        started = time.perf_counter()
        if self.args.index_path == "command":
            call_command("opengov_search_rebuild", only="public", stdout=devnull)
        else:
            from opengov_cms.search.backends import get_search_backend

            get_search_backend().rebuild(bulk_read_documents())
        rebuild_seconds = time.perf_counter() - started
        admin_seconds = None
        if self.args.admin_index:
            started = time.perf_counter()
            call_command("opengov_search_rebuild", only="admin", stdout=devnull)
            admin_seconds = round(time.perf_counter() - started, 2)
        raw_seconds, rows = self.raw_search_load(connection)
        self.results["scenarios"]["indexing_database"] = {
            "path": self.args.index_path,
            "documents": rows,
            "rebuild_seconds": round(rebuild_seconds, 2),
            "raw_load_seconds": round(raw_seconds, 2),
            "ratio": round(rebuild_seconds / raw_seconds, 2),
            "rebuild_rate_per_s": round(rows / rebuild_seconds, 1),
            "admin_index_seconds": admin_seconds,
            "target": TARGETS["indexing"],
        }
        log(f"database index: {rows} documents, rebuild {rebuild_seconds:.1f} s")

    def raw_search_load(self, connection):
        """Copy the finished search rows (analysed text included) into a new table and
        index of the same shape: what the database does with no Python in the way."""
        from opengov_cms.search.backends.database import FTS_TABLE, TABLE

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            rows = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            raw = connection.connection
            dump = self.workdir / "search.copy"
            with raw.cursor() as cursor, open(dump, "wb") as out:
                with cursor.copy(f"COPY {TABLE} TO STDOUT") as copy:
                    for chunk in copy:
                        out.write(chunk)
                cursor.execute("DROP TABLE IF EXISTS bench_copy_search")
                cursor.execute(f"CREATE TABLE bench_copy_search (LIKE {TABLE} INCLUDING ALL)")
            raw.commit()
            started = time.perf_counter()
            with (
                raw.cursor() as cursor,
                open(dump, "rb") as source,
                cursor.copy("COPY bench_copy_search FROM STDIN") as copy,
            ):
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
            raw.commit()
            elapsed = time.perf_counter() - started
            with raw.cursor() as cursor:
                cursor.execute("DROP TABLE bench_copy_search")
            raw.commit()
            dump.unlink()
            return elapsed, rows
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_copy_search")
            cursor.execute("DROP TABLE IF EXISTS bench_copy_fts")
            cursor.execute(f"CREATE TABLE bench_copy_search AS SELECT * FROM {TABLE} WHERE 0")
            cursor.execute(
                "CREATE VIRTUAL TABLE bench_copy_fts USING fts5(title, numbers, summary, body, "
                "words, tokenize = 'unicode61 remove_diacritics 0')"
            )
            cursor.execute(f"SELECT * FROM {TABLE}")
            search_rows = cursor.fetchall()
            cursor.execute(f"SELECT rowid, title, numbers, summary, body, words FROM {FTS_TABLE}")
            fts_rows = cursor.fetchall()
            marks = ", ".join(["%s"] * len(search_rows[0])) if search_rows else ""
            started = time.perf_counter()
            cursor.executemany(f"INSERT INTO bench_copy_search VALUES ({marks})", search_rows)
            cursor.executemany(
                "INSERT INTO bench_copy_fts (rowid, title, numbers, summary, body, words) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                fts_rows,
            )
            elapsed = time.perf_counter() - started
            cursor.execute("DROP TABLE bench_copy_search")
            cursor.execute("DROP TABLE bench_copy_fts")
        return elapsed, rows

    def engine_indexing(self):
        """Rebuild into OpenSearch through the backend, against a raw bulk of the same
        finished sources into an index of the same mapping."""
        from django.test import override_settings
        from opensearchpy import OpenSearch, helpers

        from opengov_cms.search.backends import get_search_backend
        from opengov_cms.search.backends.base import prepare
        from opengov_cms.search.backends.engine import index_body, source

        options = {
            "HOSTS": [self.engine_url],
            "INDEX_PREFIX": self.env["BENCH_INDEX_PREFIX"],
            "NUMBER_OF_REPLICAS": 0,
            "REBUILD_TIMEOUT": 600,
        }
        config = {
            "BACKEND": "opengov_cms.search.backends.engine.OpenSearchBackend",
            "OPTIONS": options,
        }
        with override_settings(OPENGOV_CMS_SEARCH=config):
            backend = get_search_backend()
            started = time.perf_counter()
            done = backend.rebuild(read_documents())
            rebuild_seconds = time.perf_counter() - started
        self.engine_backend = backend
        client = OpenSearch(hosts=[self.engine_url], timeout=600)
        alias_index = next(iter(client.indices.get_alias(name=backend.alias)))
        sources = []
        for hit in helpers.scan(client, index=alias_index, size=1000):
            sources.append((hit["_id"], hit["_source"]))
        name = f"{backend.alias}-raw"
        client.indices.delete(index=name, ignore_unavailable=True)
        client.indices.create(index=name, body=index_body(0, rebuilding=True))
        actions = ({"_index": name, "_id": doc_id, "_source": body} for doc_id, body in sources)
        started = time.perf_counter()
        helpers.bulk(client, actions, chunk_size=500, refresh=False)
        client.indices.refresh(index=name)
        raw_seconds = time.perf_counter() - started
        client.indices.delete(index=name)
        del sources
        # How much of the rebuild is the analysis, measured apart on a sample of whole
        # chunks (a chunk of pages is read at once).
        started = time.perf_counter()
        docs = list(itertools.islice(read_documents(), 1000))
        read_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for doc in docs:
            source(prepare(doc))
        analyse_seconds = time.perf_counter() - started
        self.results["scenarios"]["indexing_engine"] = {
            "documents": done,
            "rebuild_seconds": round(rebuild_seconds, 2),
            "raw_load_seconds": round(raw_seconds, 2),
            "ratio": round(rebuild_seconds / raw_seconds, 2),
            "rebuild_rate_per_s": round(done / rebuild_seconds, 1),
            "per_document_ms": {
                "read_page_and_make_document": round(read_seconds / max(len(docs), 1) * 1000, 3),
                "analyse": round(analyse_seconds / max(len(docs), 1) * 1000, 3),
            },
            "target": TARGETS["indexing"],
        }
        log(f"engine index: {done} documents, rebuild {rebuild_seconds:.1f} s")

    # Pages -------------------------------------------------------------------------------

    def urls(self):
        """The pages to request: entries and policies with their plain twins, a filtered
        section list's first and a deep page with the same rows read by hand."""
        from bench import load
        from opengov_cms.catalogue.listing import encode_cursor
        from opengov_cms.catalogue.models import CatalogueItem, DisclosureEntryPage
        from opengov_cms.policies.models import PolicyDocumentPage

        if hasattr(self, "detail_pairs"):
            return  # picked already, for the engine part's server
        rng = random.Random(self.size)
        entries = list(DisclosureEntryPage.objects.live().order_by("pk")[: self.size])
        policies = list(PolicyDocumentPage.objects.live().order_by("pk")[: self.size])
        picked = rng.sample(entries, min(30, len(entries))) + rng.sample(
            policies, min(20, len(policies))
        )
        self.detail_pairs = load.plain_twins(self.site, picked)
        root = self.site["roots"][0]
        items = CatalogueItem.objects.filter(path__startswith=root.path)
        years = {}
        for year in items.values_list("year", flat=True):
            years[year] = years.get(year, 0) + 1
        year = max(years, key=years.get)
        filtered = items.filter(year=year).order_by("-publication_date", "-page_id")
        total = years[year]
        deep_at = max(0, min(total - 21, total // 2))
        row = filtered[deep_at]
        cursor = encode_cursor([row.publication_date.isoformat(), row.page_id])
        keyset = self.site["keyset"].url
        self.listing = {
            "rows_filtered": total,
            "deep_position": deep_at,
            "first": (f"{root.url}?year={year}", f"{keyset}?path={root.path}&year={year}"),
            "deep": (
                f"{root.url}?year={year}&after={cursor}",
                f"{keyset}?path={root.path}&year={year}"
                f"&after_date={row.publication_date.isoformat()}&after_id={row.page_id}",
            ),
        }

    def server(self, **env):
        from bench.measure import Server

        return Server(
            {**self.env, **env},
            workers=self.args.workers,
            log=self.server_log,
            warm_paths=self.warm_paths(),
        )

    def warm_paths(self):
        """One page of each kind measured: an entry, a policy, a plain page, a section list
        with its keyset baseline and a search."""
        if not hasattr(self, "detail_pairs"):
            self.urls()  # the engine part serves pages before the pages part picks them
        return [
            self.detail_pairs[0][0],
            self.detail_pairs[-1][0],
            self.detail_pairs[0][1],
            *self.listing["first"],
            # A rare phrase: a common word takes the database backend seconds at 1M, in
            # every process at once as they start.
            search_path(self.QUERIES[-1]),
        ]

    def pages(self):
        from bench.measure import Client, paired

        scenarios = self.results["scenarios"]
        # The server hands its jobs to Celery when the run has Redis (bench/celery.py).
        runner = {"BENCH_TASK_RUNNER": "celery"} if self.env.get("BENCH_REDIS_URL") else {}
        with self.server(**runner) as server:
            log("detail pages")
            subject, baseline = paired(
                server.port,
                [a for a, _ in self.detail_pairs],
                [b for _, b in self.detail_pairs],
                self.requests,
            )
            scenarios["detail"] = compare(subject, baseline, TARGETS["detail"])
            scenarios["detail"]["repeat_views_ratio"] = ratio(
                subject["repeat_views"]["p95_ms"], baseline["repeat_views"]["p95_ms"]
            )
            log("section list")
            for name in ("first", "deep"):
                subject, baseline = paired(
                    server.port, [self.listing[name][0]], [self.listing[name][1]], self.requests
                )
                scenarios[f"listing_{name}"] = compare(
                    subject, baseline, TARGETS[f"listing_{name}"]
                )
            scenarios["listing_deep"]["deep_vs_first"] = ratio(
                scenarios["listing_deep"]["subject"]["p95_ms"],
                scenarios["listing_first"]["subject"]["p95_ms"],
            )
            scenarios["listing_first"]["rows_filtered"] = self.listing["rows_filtered"]
            scenarios["listing_deep"]["deep_position"] = self.listing["deep_position"]
            scenarios["listing_first"]["count_queries"] = self.count_queries_in_listing()
            client = Client(server.port)
            for key, path in (
                ("detail", self.detail_pairs[0][0]),
                ("listing", self.listing["first"][0]),
            ):
                status, _headers, body = client.get(path)
                assert status == 200, (path, status)
                (self.bytes_dir / f"{key}.html").write_bytes(body)
            self.search_database(server)
            self.request_form(server)
            scenarios["server_peak_rss_mb"] = round(server.peak_memory() / 2**20, 1)

    def count_queries_in_listing(self):
        """The SQL of a section list, checked for COUNT over the listing table."""
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            Client().get(self.listing["first"][0], HTTP_HOST="127.0.0.1")
        return sum("COUNT(" in q["sql"].upper() for q in queries.captured_queries)

    def cached(self):
        from bench.measure import paired

        # Without Redis each server process keeps its own cache (LocMemCache): slower to
        # warm, the same once warm.
        self.results["settings"]["cache"] = "redis" if self.env["BENCH_REDIS_URL"] else "locmem"
        with self.server(BENCH_CACHE="1") as server:
            log("cached pages")
            for key, path in (
                ("detail", self.detail_pairs[0][0]),
                ("listing", self.listing["first"][0]),
            ):
                subject, baseline = paired(
                    server.port, [path], [f"/bench/bytes/{key}/"], self.requests
                )
                self.results["scenarios"][f"cached_{key}"] = compare(
                    subject, baseline, TARGETS["cached"]
                )

    # Search ------------------------------------------------------------------------------

    SEARCH_SECONDS_PER_QUERY = 30

    QUERIES = ["公开", "资金", "招生", "文物", "政府信息公开", "旅游景区质量等级", "扬尘污染防治"]
    #: Searches narrowed by a facet, as a reader clicks one: a common word in one year (2019
    #: holds about 5 % of the documents), and one in the first topic of the site's list.
    FILTERED = (("公开", "year"), ("资金", "topic"))
    FILTERED_YEAR = "2019"

    def search_queries(self):
        """The searches measured, by label: the queries, the first 文号 of the site, and the
        filtered searches; ``search_filters`` maps a filtered label to its query and filters."""
        from opengov_cms.catalogue.models import CatalogueItem
        from opengov_cms.core.models import Topic

        number = (
            CatalogueItem.objects.exclude(document_number="")
            .order_by("page_id")
            .values_list("document_number", flat=True)
            .first()
        )
        topic = (
            Topic.objects.filter(parent__isnull=False)
            .order_by("pk")
            .values_list("name", flat=True)
            .first()
        )
        values = {"year": self.FILTERED_YEAR, "topic": topic}
        self.search_filters = {
            f"{query} [{name}={values[name]}]": (query, {name: [values[name]]})
            for query, name in self.FILTERED
            if values[name]
        }
        return [*self.QUERIES, *([number] if number else []), *self.search_filters]

    def search_request(self, label):
        """(query, filters) of a label of ``search_queries``."""
        return self.search_filters.get(label, (label, {}))

    def own_query_time(self, query, rounds, filters=None):
        """The SQL statements the database backend runs for the search page, replayed on a
        raw cursor: the backend's own query time."""
        from django.db import connection

        from opengov_cms.search.backends import get_search_backend
        from opengov_cms.search.backends.base import FACET_FIELDS

        statements = []

        def record(execute, sql, params, many, context):
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            get_search_backend().search(
                query, filters=filters or {}, facets=FACET_FIELDS, per_page=20
            )
        times = []
        with connection.cursor() as cursor:
            for _ in range(rounds):
                started = time.perf_counter()
                for sql, params in statements:
                    cursor.execute(sql, params)
                    cursor.fetchall()
                times.append(time.perf_counter() - started)
        return times, len(statements)

    def search_database(self, server):

        from bench.measure import Client, summary, timed

        log("search, database backend")
        queries = self.search_queries()
        rounds = max(3, self.requests // len(queries))
        client = Client(server.port)
        subject, counts, own, errors = [], [], [], 0
        per_query = {}
        for query in queries:
            text, filters = self.search_request(query)
            path = search_path(text, filters)
            first, *_rest = timed(client, path)
            # A common word on a big site takes seconds on this backend: each query gets
            # about a minute of the run (page and replay), and at least 3 rounds.
            budget = int(self.SEARCH_SECONDS_PER_QUERY / max(first, 1e-3))
            query_rounds = max(3, min(rounds, budget))
            latencies, seen = [], []
            for _ in range(query_rounds):
                elapsed, ok, n, _body = timed(client, path)
                latencies.append(elapsed)
                seen.append(n)
                errors += 0 if ok else 1
            counts.append(min(seen))
            own_times, statements = self.own_query_time(text, query_rounds, filters)
            subject += latencies
            own += own_times
            per_query[query] = {
                "p50_ms": round(sorted(latencies)[len(latencies) // 2] * 1000, 2),
                "p95_ms": summary(latencies)["p95_ms"],
                "own_p50_ms": round(sorted(own_times)[len(own_times) // 2] * 1000, 2),
                "statements": statements,
                "rounds": query_rounds,
            }
        result = compare(summary(subject, None, counts, errors), summary(own), "")
        result["target"] = TARGETS["search_database"]
        result["per_query"] = per_query
        self.results["scenarios"]["search_database"] = result

    def search_engine(self):

        from bench.measure import Client, summary, timed
        from opengov_cms.search.backends.base import FACET_FIELDS

        backend = self.engine_backend
        took = []

        original = backend._run_searches

        def run_searches(bodies, **options):
            response = original(bodies, **options)
            took.append(engine_took(response) / 1000)
            return response

        backend._run_searches = run_searches
        queries = self.search_queries()
        rounds = max(3, self.requests // len(queries))
        subject, counts, errors = [], [], 0
        engine_walls, outside_took, page_own = [], [], []
        per_query = {}

        def median_ms(values):
            return round(sorted(values)[len(values) // 2] * 1000, 2) if values else None

        with self.server(BENCH_SEARCH="opensearch", BENCH_OPENSEARCH_URL=self.engine_url) as srv:
            log("search, engine backend")
            client = Client(srv.port)
            for query in queries:
                text, filters = self.search_request(query)
                path = search_path(text, filters)
                timed(client, path)
                latencies, seen, walls, server_took = [], [], [], []
                start = len(took)
                # The page and the engine's own search in turns, so that both meet the
                # engine's caches in the same state.
                for _ in range(rounds):
                    started = time.perf_counter()
                    status, headers, _body = client.get(path)
                    latencies.append(time.perf_counter() - started)
                    seen.append(int(headers.get("X-Bench-Queries", "-1")))
                    errors += 0 if status == 200 else 1
                    # The page's engine call as the server waited for it, and its took.
                    _calls, wall, page_took = headers.get("X-Bench-Engine", "0;0;0").split(";")
                    walls.append(float(wall) / 1000)
                    server_took.append(float(page_took) / 1000)
                    made = len(took)
                    backend.search(text, filters=filters, facets=FACET_FIELDS, per_page=20)
                    # A search by relevance may take two round trips: its took is their sum.
                    took[made:] = [sum(took[made:])]
                counts.append(min(seen))
                subject += latencies
                engine_walls += walls
                page_own += [page - wall for page, wall in zip(latencies, walls, strict=True)]
                outside_took += [w - t for w, t in zip(walls, server_took, strict=True)]
                per_query[query] = {
                    "p50_ms": median_ms(latencies),
                    "p95_ms": summary(latencies)["p95_ms"],
                    "took_p50_ms": median_ms(took[start:]),
                    "engine_call_p50_ms": median_ms(walls),
                    "page_took_p50_ms": median_ms(server_took),
                }
        backend._run_searches = original
        sub, base = summary(subject, None, counts, errors), summary(took)
        result = compare(sub, base, TARGETS["search_engine"])
        result["p95_minus_took_ms"] = round(sub["p95_ms"] - base["p95_ms"], 2)
        # Where the time above took goes: the engine call as the server waits for it, the
        # part of that outside the engine's took, and the page's own work around the call.
        result["engine_call"] = summary(engine_walls)
        result["engine_call_outside_took"] = summary(outside_took)
        result["page_without_engine_call"] = summary(page_own)
        result["per_query"] = per_query
        self.results["scenarios"]["search_engine"] = result

    # Request form ------------------------------------------------------------------------

    def request_form(self, server, label="request_form"):
        """Submissions under bounded concurrent load, against a view that only checks CSRF
        and inserts a row; both behind the same server and middleware."""
        import re

        from bench.measure import Client, load
        from opengov_cms.disclosure_requests.forms import make_form_token

        form_url = self.site["form"].url
        client = Client(server.port)
        status, _h, body = client.get(form_url)
        assert status == 200, status
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        cookie = client.cookies["csrftoken"]
        # Sent where a browser sends it: the form's action.
        action = re.search(rb'<form method="post" action="([^"]+)"', body).group(1).decode()
        total = self.args.submissions
        tokens = [make_form_token() for _ in range(total)]
        fields = {
            "applicant_type": "natural_person",
            "applicant_name": "张三丰",
            "id_document_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
            "email": "zhangsan@example.com",
            "address": "安徽省六安市金安区梅山南路1号",
            "postcode": "237000",
            "description": "2023年本局行政事业性收费项目清单及收费依据",
            "provision_form": "electronic",
            "delivery_method": "email",
            "website": "",
            "csrfmiddlewaretoken": csrf,
        }

        def submit(c, n):
            c.cookies.setdefault("csrftoken", cookie)
            status, headers, _body = c.post(action, {**fields, "form_token": tokens[n]})
            return status == 302 and headers.get("Location", "").endswith("?submitted=1")

        def insert(c, n):
            c.cookies.setdefault("csrftoken", cookie)
            status, _headers, _body = c.post("/bench/insert/", fields)
            return status == 200

        # bench/settings.py keeps sessions in Redis when it is there (docs/scaling.md).
        sessions = "cache" if self.env["BENCH_REDIS_URL"] else "database"
        self.results["settings"]["sessions"] = sessions
        self.results["settings"]["task_runner"] = (
            "celery" if self.env["BENCH_REDIS_URL"] else "immediate"
        )
        log(f"request form: {total} submissions, {self.args.concurrency} at a time")
        concurrency, limit = self.args.concurrency, self.args.load_seconds
        subject = load(server.port, submit, total, concurrency, limit)
        baseline = load(server.port, insert, total, concurrency, limit)
        result = compare(subject, baseline, TARGETS["request_form"], key="throughput_per_s")
        result["workers"] = self.args.workers
        result["concurrency"] = concurrency
        self.results["scenarios"][label] = result

    # Statistics --------------------------------------------------------------------------

    def statistics(self):
        """The statistics engine's table 3 for a quarter and a year of one organisation,
        against one hand-written GROUP BY giving the same counts."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from bench.measure import summary

        try:
            from opengov_cms.reports import statistics as engine
        except ImportError:
            engine = None
        rounds = max(3, min(20, self.requests // 10))
        sql = (
            "SELECT applicant_type, organisation_subtype, outcome, "
            "SUM(CASE WHEN received_on >= %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN received_on < %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN closed_on >= %s AND closed_on <= %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN closed_on IS NULL OR closed_on > %s THEN 1 ELSE 0 END) "
            "FROM opengov_requests_disclosurerequest "
            "WHERE organisation_id = %s AND received_on <= %s "
            "AND (closed_on IS NULL OR closed_on >= %s) "
            "GROUP BY applicant_type, organisation_subtype, outcome"
        )
        organisation = self.site["organisations"][0]
        result = {"target": TARGETS["statistics"], "organisation": organisation.name}
        for name, quarter in (("quarterly", 3), ("annual", None)):
            period = engine.Period(2024, quarter) if engine else None
            start = datetime.date(2024, 7 if quarter else 1, 1)
            end = datetime.date(2024, 9, 30) if quarter else datetime.date(2024, 12, 31)
            params = [start, start, start, end, end, organisation.pk, end, start]
            baseline = []
            with connection.cursor() as cursor:
                for _ in range(rounds):
                    started = time.perf_counter()
                    cursor.execute(sql, params)
                    cursor.fetchall()
                    baseline.append(time.perf_counter() - started)
            entry = {"baseline": summary(baseline)}
            functions = []
            if engine is not None and hasattr(engine, "request_statistics"):
                functions.append(("subject", engine.request_statistics))
            if engine is not None and hasattr(engine, "compute"):
                functions.append(("compute", engine.compute))
            if not functions:
                entry["subject"] = None
                entry["note"] = "opengov_cms.reports.statistics exposes no function to measure"
            for key, function in functions:
                times, counts = [], []
                for _ in range(rounds):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        function(organisation, period)
                        times.append(time.perf_counter() - started)
                    counts.append(len(queries.captured_queries))
                entry[key] = summary(times, None, counts)
            if entry.get("subject"):
                entry["ratio"] = ratio(entry["subject"]["p95_ms"], entry["baseline"]["p95_ms"])
            result[name] = entry
        self.results["scenarios"]["statistics"] = result

    # Running -----------------------------------------------------------------------------

    #: The parts of a run after the load, in the order they run. A part is run whole: the
    #: engine's index lives only as long as the part that measures it.
    PHASES = {
        "bulk": ("bulk_import",),
        "index": ("indexing",),
        "engine": ("engine_indexing", "search_engine"),
        "pages": ("urls", "pages", "cached"),
        "statistics": ("statistics",),
    }

    def run(self):
        started = time.perf_counter()
        self.engine_url = opensearch_url() if self.args.engine else ""
        # Without the engine there is no engine part to measure.
        wanted = [p for p in self.PHASES if p != "engine" or self.engine_url]
        # Always in the order of PHASES, whatever the order asked: the pages' database
        # search reads the index the index part builds.
        asked = self.args.phases or wanted
        phases = [p for p in wanted if p in asked and p not in self.done]
        if self.args.load_only:
            phases = []
        if self.args.resume and phases:
            sitting = {
                "commit": machine()["commit"],
                "phases": phases,
                "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            }
            self.results.setdefault("resumed", []).append(sitting)
        finished = False
        try:
            self.database()
            self.load()
            for phase in phases:
                for step in self.PHASES[phase]:
                    getattr(self, step)()
                self.done.append(phase)
                self.save_state()
            finished = all(phase in self.done for phase in wanted)
            if not finished and self.args.earlier and not self.args.load_only:
                self.take_earlier(
                    Path(self.args.earlier), [p for p in wanted if p not in self.done]
                )
                finished = True
        finally:
            seconds = self.results.get("seconds", 0) + time.perf_counter() - started
            self.results["seconds"] = round(seconds, 1)
            if not finished:
                # Kept for --resume: the database, the work folder and the figures so far.
                self.args.keep = True
                state = self.save_state()
                left = [p for p in wanted if p not in self.done]
                log(f"the database is {self.env.get('BENCH_DATABASE_URL', '')}")
                log(f"to measure {', '.join(left)}: python -m bench.run --resume {state.parent}")
            self.cleanup()
        if not finished:
            return self.results
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = Path(self.args.output or RESULTS / f"{self.args.name}.json")
        path.write_text(json.dumps(self.results, ensure_ascii=False, indent=1, default=str))
        log(f"wrote {path} ({self.results['seconds']} s)")
        return self.results

    #: The figures each part writes, for a run finished with an earlier run's (--earlier).
    PHASE_SCENARIOS = {
        "bulk": ("bulk_import",),
        "index": ("indexing_database",),
        "engine": ("indexing_engine", "search_engine"),
        "pages": (
            "detail",
            "listing_first",
            "listing_deep",
            "search_database",
            "request_form",
            "server_peak_rss_mb",
            "cached_detail",
            "cached_listing",
        ),
        "statistics": ("statistics",),
    }

    def take_earlier(self, path, phases):
        """Finish this run with an earlier run's figures for the parts not measured in it,
        each listed under ``resumed`` with the commit and the time it was measured at (its
        sitting's, or the run it was itself taken from, else the earlier run's start), so
        the report says which figures are whose and compares only figures measured close
        together."""
        earlier = json.loads(path.read_text())
        if earlier.get("size") != self.size or earlier.get("database") != self.args.database:
            raise SystemExit(f"{path} is not a run of {self.args.database} at {self.size}")
        sittings = earlier.get("resumed") or [
            {"commit": earlier["machine"]["commit"], "phases": list(self.PHASES)}
        ]
        taken = {}
        for phase in phases:
            names = [n for n in self.PHASE_SCENARIOS[phase] if n in earlier["scenarios"]]
            if not names:
                raise SystemExit(f"{path} has no figures for the {phase} part")
            for name in names:
                self.results["scenarios"][name] = earlier["scenarios"][name]
            if phase == "bulk":
                self.results["load"] = earlier.get("load", self.results.get("load"))
            # The last sitting that measured it, as the report reads it (``measured_at``).
            sitting = next((s for s in reversed(sittings) if phase in s["phases"]), {})
            when = sitting.get("earlier_run") or sitting.get("at") or earlier["started"]
            taken.setdefault((sitting.get("commit", "?"), when), []).append(phase)
        for (commit, when), taken_phases in taken.items():
            self.results.setdefault("resumed", []).append(
                {"commit": commit, "phases": taken_phases, "earlier_run": when}
            )
        log(f"{', '.join(phases)}: figures of the run of {earlier['started']} ({path})")

    STATE = "state.json"

    def save_state(self):
        """What ``--resume`` needs to go on with this run: its arguments, the database and
        work folder, the figures so far and the parts done. So a run too long for one
        sitting (1M entries) is loaded once and measured part by part later."""
        path = self.workdir / self.STATE
        args = {k: v for k, v in vars(self.args).items() if k not in ("resume", "phases")}
        state = {"args": args, "env": self.env, "results": self.results, "done": self.done}
        path.write_text(json.dumps(state, ensure_ascii=False, indent=1, default=str))
        return path

    def cleanup(self):
        backend = getattr(self, "engine_backend", None)
        if backend is not None and self.args.keep:
            log(f"kept the engine index {backend.alias} (drop it with the run's database)")
        elif backend is not None:
            try:
                backend.drop()
            except Exception as error:  # the results matter more than the cleanup
                log(f"could not drop the engine index: {error}")
        from django.db import connections

        connections.close_all()
        if not self.args.keep:
            self.cleanup_db() if hasattr(self, "cleanup_db") else None
            shutil.rmtree(self.workdir, ignore_errors=True)
        else:
            log(f"kept {self.workdir} and the database")


def engine_took(response):
    """The engine's own time for a multi-search: its ``took``, or the longest of its searches'
    (they run side by side)."""
    if "took" in response:
        return response["took"]
    return max((answer.get("took", 0) for answer in response.get("responses", ())), default=0)


def read_documents():
    """Every searchable page's search document, the way opengov_search_rebuild reads them."""
    from opengov_cms.search import indexing

    if hasattr(indexing, "iter_documents"):
        return indexing.iter_documents()
    return indexing.documents(indexing.searchable_pages().iterator(chunk_size=500))


def bulk_read_documents():
    """The search documents of every disclosed page, read model by model with their related
    rows joined: the backend's rebuild without the page-at-a-time reading of the command
    (the benchmark site has no view restrictions, so none are checked)."""
    from opengov_cms.search.indexing import document_id, searchable_models

    for model in searchable_models():
        names = {field.name for field in model._meta.get_fields()}
        related = [name for name in ("organisation", "topic", "genre") if name in names]
        pages = model.objects.live().select_related(*related)
        for page in pages.order_by("pk").iterator(chunk_size=1000):
            document = page.get_search_document()
            if document:
                yield {**document, "id": document_id(page.pk)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--name", help="results file name (default: <database>-<size>)")
    parser.add_argument("--output", help="write the JSON here instead of bench/results/")
    parser.add_argument("--requests", type=int, default=200, help="requests per scenario")
    parser.add_argument("--sample", type=int, default=100, help="pages made with add_child")
    parser.add_argument("--submissions", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--load-seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--engine", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the engine's index afterwards"
    )
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="only make and load the database, and keep it (for profiling with bench.settings)",
    )
    parser.add_argument(
        "--index-path",
        choices=["command", "bulk-read"],
        default="command",
        help="fill the database index with opengov_search_rebuild, or with the backend's "
        "rebuild fed by pages read in bulk (for sizes where the command takes hours)",
    )
    parser.add_argument(
        "--resume",
        metavar="FOLDER",
        help="go on with a run kept by --load-only or stopped early, from the work folder it "
        "printed; its size, database and options are the ones it was started with",
    )
    parser.add_argument(
        "--phases",
        type=lambda value: [p for p in value.split(",") if p],
        help=f"with --resume, measure only these parts ({', '.join(Run.PHASES)}); "
        "the others are left for a later --resume",
    )
    parser.add_argument(
        "--admin-index",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="with the database index, rebuild and time the editors' index too (the public "
        "search does not read it; 24 minutes of a 1M run)",
    )
    parser.add_argument(
        "--earlier",
        metavar="RESULTS",
        help="with --resume and --phases, finish the run when these parts are measured: the "
        "parts not measured take their figures from this earlier results file of the same "
        "size and database, marked as such in the report",
    )
    args = parser.parse_args(argv)
    if args.earlier and not (args.resume and args.phases):
        parser.error("--earlier goes with --resume and --phases")
    if args.earlier and not Path(args.earlier).is_file():
        parser.error(f"{args.earlier} does not exist")
    if args.phases and not args.resume:
        parser.error("--phases goes with --resume")
    unknown = sorted(set(args.phases or ()) - set(Run.PHASES))
    if unknown:
        parser.error(f"unknown phase {', '.join(unknown)}: choose from {', '.join(Run.PHASES)}")
    if args.resume:
        state = Path(args.resume) / Run.STATE
        if not state.is_file():
            parser.error(f"{state} does not exist: --resume takes the folder a run printed")
        try:
            saved = json.loads(state.read_text())
        except ValueError as error:
            parser.error(f"{state} is not a saved run ({error}): start the run again")
        keys = {"args", "results", "env", "done"}
        if not isinstance(saved, dict) or not keys <= set(saved):
            parser.error(f"{state} is not a saved run (it needs {sorted(keys)}): start again")
        for name, value in saved["args"].items():
            if name == "admin_index" and args.admin_index is not None:
                continue  # said again on resuming: that wins
            if name not in ("keep", "load_only", "earlier"):
                setattr(args, name, value)
        asked = args.phases or Run.PHASES
        if "pages" in asked and "index" not in asked and "index" not in saved["done"]:
            parser.error(
                "the pages part measures the database search, which needs the database "
                "index: measure it first (--phases index,pages)"
            )
    if args.admin_index is None:  # not said now, nor by the run resumed
        args.admin_index = True
    args.name = args.name or f"{args.database}-{args.size}"
    Run(args).run()


if __name__ == "__main__":
    main()
