"""Baseline views: the raw keyset SQL of a section list, the same bytes as a page, and a
form post that only checks CSRF and inserts one row."""

import os
from pathlib import Path

from django.db import connection
from django.http import HttpResponse, HttpResponseNotFound
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST

PER_PAGE = 20

_bytes = {}


def keyset_rows(params):
    """The rows a section list shows, by hand: same filter, order and cursor, one query."""
    where, args = ["i.path LIKE %s"], [params.get("path", "") + "%"]
    if params.get("organisation"):
        where.append("i.organisation_id = %s")
        args.append(int(params["organisation"]))
    if params.get("year"):
        where.append("i.year = %s")
        args.append(int(params["year"]))
    if params.get("after_date"):
        # A row comparison, which the date index answers from the cursor on.
        where.append("(i.publication_date, i.page_id) < (%s, %s)")
        args += [params["after_date"], int(params["after_id"])]
    sql = (
        "SELECT i.url, i.title, i.index_number, o.name, i.publication_date "
        "FROM opengov_catalogue_catalogueitem i "
        "LEFT JOIN opengov_core_organisation o ON o.id = i.organisation_id "
        f"WHERE {' AND '.join(where)} "
        "ORDER BY i.publication_date DESC, i.page_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*args, PER_PAGE + 1])
        names = ("url", "title", "index_number", "organisation", "publication_date")
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()[:PER_PAGE]]


def same_bytes(request, key):
    """The bytes of a page fetched earlier, through the same middleware, never cached."""
    if key not in _bytes:
        path = Path(os.environ.get("BENCH_BYTES_DIR", "/nonexistent")) / f"{key}.html"
        if not path.is_file() or not key.isidentifier():
            return HttpResponseNotFound()
        _bytes[key] = path.read_bytes()
    response = HttpResponse(_bytes[key], content_type="text/html; charset=utf-8")
    patch_cache_control(response, private=True)
    return response


@require_POST
def insert_one(request):
    """CsrfViewMiddleware has checked the token by now; one row, nothing else."""
    from bench.models import Submission

    Submission.objects.create(description=request.POST.get("description", "")[:500])
    return HttpResponse(b"ok", content_type="text/plain")
