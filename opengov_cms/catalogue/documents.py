"""What a disclosed page contributes to the catalogue listing and to the search index."""

from django.contrib.contenttypes.models import ContentType

from opengov_cms.core.models import DisclosureMetadata
from opengov_cms.search.analysis import strip_tags


def keeps_a_row(page):
    """A page keeps its listing row while it is live and 主动公开; what else the rule says
    (restrictions, expiry, repealed documents) is said when the rows are read."""
    return (
        isinstance(page, DisclosureMetadata)
        and page.live
        and not page.alias_of_id
        and page.is_publicly_disclosable
    )


def _publication_date(page):
    return page.publication_date or (
        page.first_published_at.date() if page.first_published_at else None
    )


def _year(page, publication_date):
    dated = publication_date or page.written_date
    return dated.year if dated else None


def _url(page):
    return (page.get_url() or page.url_path)[:500]


def catalogue_fields(page):
    publication_date = _publication_date(page)
    return {
        "path": page.path,
        "content_type": ContentType.objects.get_for_model(page),
        "title": page.title[:255],
        "url": _url(page),
        "summary": page.summary,
        "index_number": page.index_number,
        "document_number": page.document_number,
        "organisation_id": page.organisation_id,
        "topic_id": page.topic_id,
        "genre_id": page.genre_id,
        "document_kind_id": page.document_kind_id,
        "year": _year(page, publication_date),
        "validity": page.validity,
        "written_date": page.written_date,
        "publication_date": publication_date,
        "expire_at": page.expire_at,
    }


def sync_catalogue_item(page):
    """Make the page's listing row match the page: present when listed, absent otherwise."""
    from opengov_cms.catalogue.models import CatalogueItem

    page = page.specific
    if keeps_a_row(page) and (page.publication_date or page.first_published_at):
        CatalogueItem.objects.update_or_create(page_id=page.pk, defaults=catalogue_fields(page))
    else:
        CatalogueItem.objects.filter(page_id=page.pk).delete()


def search_document(page, body_html=""):
    """The dict the search backends index for a disclosed page."""
    publication_date = _publication_date(page)
    return {
        "id": f"page:{page.pk}",
        "title": page.title,
        "summary": page.summary,
        "body": strip_tags(body_html or ""),
        "document_number": page.document_number,
        "index_number": page.index_number,
        "organisation": page.organisation.name if page.organisation_id else "",
        "organisation_id": page.organisation_id,
        "topic": page.topic.name if page.topic_id else "",
        "genre": page.genre.name if page.genre_id else "",
        "year": _year(page, publication_date),
        "validity": page.validity,
        "content_type": f"{page._meta.app_label}.{page._meta.model_name}",
        "url": _url(page),
        "date": publication_date.isoformat() if publication_date else None,
    }
