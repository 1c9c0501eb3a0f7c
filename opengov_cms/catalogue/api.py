"""The read-only JSON API of the catalogue, /api/opengov/v1/, described by OpenAPI 3.

Lists use the section listing's filters and its keyset cursor (``after``), so every page of
results costs the same; ``next`` is the URL of the following page or null.
"""

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.models import Page

import opengov_cms
from opengov_cms.catalogue.listing import ListingFilterForm, encode_cursor, filtered_items, ordered
from opengov_cms.core.models import DisclosureMetadata

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


def item_json(row):
    return {
        "id": row.page_id,
        "title": row.title,
        "url": row.url,
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


def error(status, message, **details):
    return JsonResponse({"error": message, **details}, status=status)


@require_GET
def items(request):
    form = ListingFilterForm(request.GET)
    if not form.is_valid():
        return error(400, "invalid parameters", fields=form.errors.get_json_data())
    try:
        limit = min(max(int(request.GET.get("limit", DEFAULT_LIMIT)), 1), MAX_LIMIT)
    except ValueError:
        return error(400, "limit must be a whole number from 1 to 100")
    section_id = request.GET.get("section")
    if section_id:
        if not section_id.isdigit():
            return error(400, "section must be a page id")
        section = Page.objects.live().public().filter(pk=section_id).first()
        if section is None:
            return error(404, "no such section")
    else:
        section = None
    rows = filtered_items(section, form.cleaned_data)
    kind = request.GET.get("type")
    if kind:
        rows = rows.filter(content_type__model=kind)
    try:
        rows, key = ordered(rows, form.cleaned_data.get("sort"), form.cleaned_data.get("after"))
    except ValueError:
        return error(400, "invalid cursor")
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
        {"items": [item_json(row) for row in page], "next": next_url},
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def item_detail(request, page_id):
    from opengov_cms.catalogue.models import CatalogueItem

    row = (
        CatalogueItem.objects.public()
        .select_related("organisation", "topic", "genre", "document_kind", "content_type")
        .filter(page_id=page_id)
        .first()
    )
    if row is None:
        raise Http404
    page = Page.objects.get(pk=page_id).specific
    data = item_json(row)
    data["keywords"] = page.keywords if isinstance(page, DisclosureMetadata) else ""
    data["body"] = str(getattr(page, "body", "") or "")
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
def openapi(request):
    filters = [
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
        ("after", "string", "cursor from the previous page's next URL"),
    ]
    item_schema = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": "string"},
            "type": {"type": "string"},
            "index_number": {"type": "string"},
            "document_number": {"type": "string"},
            "organisation": {
                "type": "object",
                "nullable": True,
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            },
            "topic": {"type": "string", "nullable": True},
            "genre": {"type": "string", "nullable": True},
            "document_kind": {"type": "string", "nullable": True},
            "year": {"type": "integer", "nullable": True},
            "validity": {"type": "string", "enum": ["valid", "amended", "repealed", "expired"]},
            "written_date": {"type": "string", "format": "date", "nullable": True},
            "publication_date": {"type": "string", "format": "date"},
            "summary": {"type": "string"},
        },
    }
    error_schema = {"type": "object", "properties": {"error": {"type": "string"}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "opengov_cms catalogue API", "version": opengov_cms.__version__},
        "paths": {
            reverse("opengov_api:items"): {
                "get": {
                    "summary": "Catalogue items (entries, policy documents, ...), newest first",
                    "parameters": [
                        {
                            "name": n,
                            "in": "query",
                            "required": False,
                            "schema": {"type": t},
                            "description": d,
                        }
                        for n, t, d in filters
                    ],
                    "responses": {
                        "200": {
                            "description": "A page of items",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "items": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Item"},
                                            },
                                            "next": {"type": "string", "nullable": True},
                                        },
                                    }
                                }
                            },
                        },
                        "400": {
                            "description": "Invalid parameters",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                        "404": {
                            "description": "Unknown section, or past the last page",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                    },
                }
            },
            reverse("opengov_api:items") + "{id}/": {
                "get": {
                    "summary": "One item with its keywords and body",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {"description": "The item"},
                        "404": {"description": "Not found"},
                    },
                }
            },
        },
        "components": {"schemas": {"Item": item_schema, "Error": error_schema}},
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})
