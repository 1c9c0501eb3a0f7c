"""Parts of a disclosed page's public view that are kept in Django's default cache: the
breadcrumbs, the metadata table, and on a policy document what it lists of other pages.

A part is kept under the page, when it was last published, the site and the language,
with the two versions it was made under; it is made again when one of them has moved on.
The versions move when a taxonomy or organisation changes (``forms.VERSION_KEY``), when
another page's title, address or visibility may show on the page (``PAGES_VERSION_KEY``,
moved by the signal handlers of the catalogue and the policies), and when an organisation
starts or stops publishing (``forms.PUBLISHERS_VERSION_KEY``, the filter's 发布机构).
One page view reads the versions and all its parts in one round trip to the cache, and
writes the parts it had to make in one more, once the page has been sent."""

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from opengov_cms.catalogue.forms import PAGES_VERSION_KEY, PUBLISHERS_VERSION_KEY
from opengov_cms.catalogue.forms import VERSION_KEY as TAXONOMIES_VERSION_KEY
from opengov_cms.core.versions import current_version, new_version

# The publishers' version is there for the filter form's options (the 发布机构 that publish).
VERSION_KEYS = (PAGES_VERSION_KEY, TAXONOMIES_VERSION_KEY, PUBLISHERS_VERSION_KEY)
#: How long a part is kept; with a per-process cache, how long another process may show a
#: change late.
TIMEOUT = 600


def pages_changed(**kwargs):
    """Now, for this process, and again after the commit, so that no reader keeps what it
    read before the change committed."""
    new_version(PAGES_VERSION_KEY)
    transaction.on_commit(lambda: new_version(PAGES_VERSION_KEY))


class KeptParts:
    """The kept parts of one view of ``page``, for ``{% kept "name" %}``: those named in
    ``names`` are read with the versions at once; a preview, which shows what an editor
    has not published, keeps nothing.

    A part made while ``deferred`` waits in ``made`` for ``save``, which writes them all in
    one round trip; otherwise it is written at once."""

    def __init__(self, page, request, names=(), deferred=False):
        from wagtail.models import Site

        self.enabled = not getattr(request, "is_preview", False)
        self.deferred = deferred
        self.made = {}
        if not self.enabled:
            return
        site = Site.find_for_request(request)
        published = page.last_published_at.timestamp() if page.last_published_at else ""
        self.base = f"{page.pk}:{published}:{site.pk if site else ''}:{get_language()}"
        keys = {name: self.key(name) for name in names}
        found = cache.get_many([*VERSION_KEYS, *keys.values()])
        self.versions = tuple(found.get(key) or current_version(key) for key in VERSION_KEYS)
        self.found = {name: found.get(key) for name, key in keys.items()}

    def key(self, name):
        digest = hashlib.md5(f"{name}:{self.base}".encode(), usedforsecurity=False)
        return f"opengov:kept:{digest.hexdigest()}"

    def get(self, name):
        """The part's HTML if it was kept under the current versions, else None."""
        kept = self.found[name] if name in self.found else cache.get(self.key(name))
        if kept and tuple(kept[0]) == self.versions:
            return kept[1]
        return None

    def set(self, name, html):
        self.made[self.key(name)] = (self.versions, str(html))
        if not self.deferred:
            self.save()

    def save(self):
        if self.made:
            made, self.made = self.made, {}
            cache.set_many(made, TIMEOUT)


class KeptPartsMixin:
    """Gives the page's templates ``kept`` for ``{% kept %}``, with the parts its own
    template keeps (``kept_part_names``) already read; another is read when it is asked
    for. When the page is served, the parts its view made are written together once the
    response has been sent."""

    kept_parts = ("breadcrumbs", "metadata")

    def kept_part_names(self, **kwargs):
        """The parts to read at once, given what ``get_context`` was given."""
        return self.kept_parts

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        serving = getattr(request, "_opengov_kept_serving", None)
        parts = KeptParts(
            self, request, self.kept_part_names(**kwargs), deferred=serving is not None
        )
        if serving is not None:
            serving.append(parts)
        context["kept"] = parts
        return context

    def serve(self, request, *args, **kwargs):
        # A page served from within another's serve keeps the outer one's list afterwards.
        outer = getattr(request, "_opengov_kept_serving", None)
        request._opengov_kept_serving = serving = []
        try:
            response = super().serve(request, *args, **kwargs)
        finally:
            request._opengov_kept_serving = outer
        # Written when the response is closed: a WSGI server closes it after sending its
        # last byte, so the reader does not wait for the cache.
        response._resource_closers.append(WriteParts(serving))
        return response


class WriteParts:
    """A response's closer that writes the parts one view made. A response that is never
    closed (one rendered by other code), or whose parts cannot be written, leaves them to
    be made again by the next view. A response kept whole by Django's cache middleware is
    pickled with a closer that has nothing to write."""

    def __init__(self, serving):
        self.serving = serving

    def __call__(self):
        for parts in self.serving:
            parts.save()

    def __reduce__(self):
        return (WriteParts, ([],))
