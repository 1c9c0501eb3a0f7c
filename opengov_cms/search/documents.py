"""Search documents of the package's page types that carry no disclosure metadata."""

from django.utils import timezone

from opengov_cms.search.analysis import strip_tags


def consultation_document(page):
    """征求意见: the draft, its drafting explanation and the results, dated from when it was
    first published (or opened)."""
    moment = page.first_published_at or page.opens_at
    date = timezone.localtime(moment).date() if moment else None
    body = "\n".join(
        strip_tags(str(text))
        for text in (page.body, page.drafting_explanation, page.results)
        if text
    )
    return {
        "title": page.title,
        "summary": page.summary,
        "body": body,
        "organisation": page.organisation.name if page.organisation_id else "",
        "organisation_id": page.organisation_id,
        "year": date.year if date else None,
        "content_type": f"{page._meta.app_label}.{page._meta.model_name}",
        "url": page.get_url() or page.url_path,
        "date": date.isoformat() if date else None,
    }
