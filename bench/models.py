"""Baselines: a plain Wagtail page, a plain Wagtail list page over the raw keyset SQL, and a
table one row is inserted into per baseline form submission."""

from django.db import models
from django.template.response import TemplateResponse
from wagtail.fields import RichTextField
from wagtail.models import Page


class PlainPage(Page):
    """The same title and body as an entry, with nothing of the package."""

    body = RichTextField(blank=True)
    template = "bench/plain_page.html"


class KeysetListPage(Page):
    """A plain Wagtail page listing the same rows as a catalogue section, read with the
    keyset SQL written by hand."""

    template = "bench/keyset_list_page.html"

    def serve(self, request, *args, **kwargs):
        from bench.views import keyset_rows

        context = self.get_context(request, *args, **kwargs)
        context["rows"] = keyset_rows(request.GET)
        return TemplateResponse(request, self.template, context)


class Submission(models.Model):
    """One row per baseline form submission."""

    description = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.description[:30]
