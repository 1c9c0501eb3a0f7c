"""The read-only JSON API of the catalogue, /api/opengov/v1/, described by OpenAPI 3.

Lists use the section listing's filters and its keyset cursor (``after``), so every page of
results costs the same; ``next`` is the URL of the following page or null. Every answer is
JSON, errors included (400 for a bad parameter, 404 for an unknown item, section or address,
405 for a method other than GET or HEAD), and the OpenAPI document describes each of them
precisely enough for a client to be generated from it.
"""

import functools

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Page

import opengov_cms
from opengov_cms.catalogue.listing import (
    FIRST_YEAR,
    MAX_PAGE_ID,
    ListingFilterForm,
    encode_cursor,
    filtered_items,
    ordered,
)
from opengov_cms.core.models import (
    DisclosureMetadata,
    DocumentKind,
    Genre,
    Organisation,
    Topic,
    Validity,
)
from opengov_cms.core.visibility import leaving

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
READ_METHODS = ("GET", "HEAD")
#: The query parameters of the list, with their type and description (OpenAPI).
FILTERS = [
    ("organisation", "integer", "发布机构 id"),
    ("topic", "string", "主题分类 code"),
    ("genre", "string", "文种 code"),
    ("kind", "string", "文件类型 code"),
    ("year", "integer", "年份"),
    ("validity", "string", "valid | amended | repealed | expired"),
    ("sort", "string", "date (default) | index"),
    ("section", "integer", "catalogue section page id"),
    ("type", "string", "page type, e.g. disclosureentrypage"),
    ("limit", "integer", "1–100, default 20"),
    ("after", "string", "cursor from the previous page's next URL (404 if it names no page)"),
]


def error(status, message, **details):
    response = JsonResponse({"error": message, **details}, status=status)
    if status == 405:
        response["Allow"] = ", ".join(READ_METHODS)
    return response


def json_endpoint(view):
    """GET and HEAD only, answered as JSON; anything else is a JSON 405 (not the CSRF page:
    nothing here changes state, so there is no token to check)."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in READ_METHODS:
            return error(405, f"method {request.method} is not allowed; use GET")
        return view(request, *args, **kwargs)

    return wrapper


def absolute(request, url):
    return request.build_absolute_uri(url) if url else url


def item_json(row, request=None):
    return {
        "id": row.page_id,
        "title": row.title,
        "url": absolute(request, row.url) if request is not None else row.url,
        "type": row.content_type.model,
        "index_number": row.index_number,
        "document_number": row.document_number,
        "organisation": {"id": row.organisation_id, "name": row.organisation.name}
        if row.organisation_id
        else None,
        "topic": row.topic.code if row.topic_id else None,
        "genre": row.genre.code if row.genre_id else None,
        "document_kind": row.document_kind.code if row.document_kind_id else None,
        "year": row.year,
        "validity": row.validity,
        "written_date": row.written_date.isoformat() if row.written_date else None,
        "publication_date": row.publication_date.isoformat(),
        "summary": row.summary,
    }


@json_endpoint
def root(request):
    """What the API offers, so a client can start here."""
    return JsonResponse(
        {
            "items": request.build_absolute_uri(reverse("opengov_api:items")),
            "openapi": request.build_absolute_uri(reverse("opengov_api:openapi")),
            "version": opengov_cms.__version__,
        }
    )


def parse_limit(value):
    if value is None:
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise ValueError
    return int(value)


@json_endpoint
def items(request):
    empty = sorted(name for name, value in request.GET.items() if value == "")
    if empty:
        return error(400, f"empty parameter: {', '.join(empty)}; leave it out instead")
    form = ListingFilterForm(request.GET)
    if not form.is_valid():
        if set(form.errors) == {"after"}:
            # A cursor is opaque: one that names no page of results is not found, like a
            # page past the last.
            return error(404, "no such page of results; start again without after")
        return error(400, "invalid parameters", fields=form.errors.get_json_data())
    try:
        limit = parse_limit(request.GET.get("limit"))
    except ValueError:
        return error(400, f"limit must be a whole number from 1 to {MAX_LIMIT}")
    section_id = request.GET.get("section")
    section = None
    if section_id is not None:
        if not section_id.isdigit() or int(section_id) > MAX_PAGE_ID:
            return error(400, "section must be a page id")
        section = leaving(Page.objects.filter(pk=section_id)).first()
        if section is None:
            return error(404, "no such section")
    rows = filtered_items(section, form.cleaned_data)
    kind = request.GET.get("type")
    if kind:
        rows = rows.filter(content_type__model=kind)
    try:
        rows, key = ordered(rows, form.cleaned_data.get("sort"), form.cleaned_data.get("after"))
    except ValueError:
        return error(404, "no such page of results; start again without after")
    page = list(
        rows.select_related("organisation", "topic", "genre", "document_kind", "content_type")[
            : limit + 1
        ]
    )
    next_url = None
    if len(page) > limit:
        page = page[:limit]
        query = request.GET.copy()
        query["after"] = encode_cursor(key(page[-1]))
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    elif form.cleaned_data.get("after") and not page:
        return error(404, "no more items")
    return JsonResponse(
        {"items": [item_json(row, request) for row in page], "next": next_url},
        json_dumps_params={"ensure_ascii": False},
    )


@json_endpoint
def item_detail(request, page_id):
    from opengov_cms.catalogue.models import CatalogueItem

    if page_id > MAX_PAGE_ID:
        # No page has such an id, and the database could not compare it.
        return error(404, "no such item")
    row = (
        CatalogueItem.objects.public()
        .select_related("organisation", "topic", "genre", "document_kind", "content_type")
        .filter(page_id=page_id)
        .first()
    )
    if row is None:
        return error(404, "no such item")
    page = Page.objects.get(pk=page_id).specific
    data = item_json(row, request)
    data["keywords"] = page.keywords if isinstance(page, DisclosureMetadata) else ""
    data["body"] = str(getattr(page, "body", "") or "")
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def not_found(request, path=""):
    """Any other address under the API: a JSON 404."""
    if request.method not in READ_METHODS:
        return error(405, f"method {request.method} is not allowed; use GET")
    return error(404, "no such resource; start at the API root")


not_found = csrf_exempt(not_found)


def _json(schema_ref, description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}},
    }


ERRORS = {
    "400": _json("Error", "Invalid parameters"),
    "404": _json("Error", "Not found"),
    "405": _json("Error", "Method not allowed: only GET and HEAD"),
}


@json_endpoint
def openapi(request):
    nullable_string = {"type": "string", "nullable": True}
    item_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "id",
            "title",
            "url",
            "type",
            "index_number",
            "document_number",
            "organisation",
            "topic",
            "genre",
            "document_kind",
            "year",
            "validity",
            "written_date",
            "publication_date",
            "summary",
        ],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "title": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "type": {"type": "string"},
            "index_number": {"type": "string"},
            "document_number": {"type": "string"},
            "organisation": {
                "type": "object",
                "nullable": True,
                "additionalProperties": False,
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            },
            "topic": nullable_string,
            "genre": nullable_string,
            "document_kind": nullable_string,
            "year": {"type": "integer", "nullable": True},
            "validity": {"type": "string", "enum": list(Validity.values)},
            "written_date": {"type": "string", "format": "date", "nullable": True},
            "publication_date": {"type": "string", "format": "date"},
            "summary": {"type": "string"},
        },
    }
    detail_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": [*item_schema["required"], "keywords", "body"],
        "properties": {
            **item_schema["properties"],
            "keywords": {"type": "string"},
            "body": {"type": "string", "description": "the body as HTML"},
        },
    }
    page_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
            "next": {"type": "string", "format": "uri", "nullable": True},
        },
    }
    root_schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["items", "openapi", "version"],
        "properties": {
            "items": {"type": "string", "format": "uri"},
            "openapi": {"type": "string", "format": "uri"},
            "version": {"type": "string"},
        },
    }
    error_schema = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string"},
            "fields": {"type": "object", "description": "the errors of each parameter"},
        },
    }
    parameter_schemas = {
        "year": {"type": "integer", "minimum": FIRST_YEAR, "maximum": timezone.localdate().year},
        "validity": {"type": "string", "enum": list(Validity.values)},
        "sort": {"type": "string", "enum": ["date", "index"]},
        "section": {"type": "integer", "minimum": 1},
        "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    }
    # The values a filter may name, as they are now: a client is told exactly what exists, and
    # a filter the site has no values for is not offered.
    offered = {
        "organisation": list(Organisation.objects.order_by("pk").values_list("pk", flat=True)),
        "topic": list(Topic.objects.order_by("code").values_list("code", flat=True)),
        "genre": list(Genre.objects.order_by("code").values_list("code", flat=True)),
        "kind": list(DocumentKind.objects.order_by("code").values_list("code", flat=True)),
    }
    for name, values in offered.items():
        if values:
            kind = "integer" if name == "organisation" else "string"
            parameter_schemas[name] = {"type": kind, "enum": values}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "opengov_cms catalogue API", "version": opengov_cms.__version__},
        "paths": {
            reverse("opengov_api:root"): {
                "get": {
                    "operationId": "getRoot",
                    "summary": "What the API offers",
                    "responses": {
                        "200": _json("Root", "The API's resources"),
                        "405": ERRORS["405"],
                    },
                }
            },
            reverse("opengov_api:items"): {
                "get": {
                    "operationId": "listItems",
                    "summary": "Catalogue items (entries, policy documents, ...), newest first",
                    "parameters": [
                        {
                            "name": name,
                            "in": "query",
                            "required": False,
                            "schema": parameter_schemas.get(name, {"type": kind, "minLength": 1}),
                            "description": description,
                        }
                        for name, kind, description in FILTERS
                        if name not in offered or offered[name]
                    ],
                    "responses": {"200": _json("ItemPage", "A page of items"), **ERRORS},
                }
            },
            reverse("opengov_api:items") + "{id}/": {
                "get": {
                    "operationId": "getItem",
                    "summary": "One item with its keywords and body",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1},
                        }
                    ],
                    "responses": {
                        "200": _json("ItemDetail", "The item"),
                        "404": ERRORS["404"],
                        "405": ERRORS["405"],
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Root": root_schema,
                "Item": item_schema,
                "ItemDetail": detail_schema,
                "ItemPage": page_schema,
                "Error": error_schema,
            }
        },
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})
