"""Template tags shared by the package's public pages."""

import re

from django import template
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from opengov_cms.core.models.site_identity import shown_identity
from opengov_cms.core.navigation import current_site as navigation_site
from opengov_cms.core.navigation import identity_version, mark_current
from opengov_cms.core.navigation import main_navigation as main_navigation_menu

register = template.Library()


@register.simple_tag
def breadcrumb_ancestors(page):
    """The pages above ``page``, top first, without the tree's root.

    Wagtail's routing keeps each page's parent on it as it walks down the path, so a page
    just routed to knows its ancestors and the trail costs no query; otherwise (preview,
    a page read some other way) they are read from the tree.
    """
    trail = []
    current = page
    while current.depth > 2:
        parent = current.__dict__.get("_cached_parent_obj")
        if parent is None or parent.depth != current.depth - 1:
            return [ancestor for ancestor in page.get_ancestors() if not ancestor.is_root()]
        trail.append(parent)
        current = parent
    return trail[::-1]


@register.tag("kept")
def kept(parser, token):
    """``{% kept "name" %}…{% endkept %}``: the block's HTML, kept in the default cache with
    the page's other kept parts (``kept`` in the context, opengov_cms.catalogue.kept);
    rendered each time where the page keeps nothing, as in a preview, or the name is
    empty."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes the name of the part")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, parser.compile_filter(bits[1]))


class KeptNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        parts = context.get("kept")
        name = self.name.resolve(context)
        if parts is None or not parts.enabled or not name:
            return self.nodelist.render(context)
        html = parts.get(name)
        if html is None:
            html = self.nodelist.render(context)
            parts.set(name, html)
        return mark_safe(html)


#: The longest address a link back to the current page carries; a longer one (a crafted
#: query string) links back to the page without its query.
MAX_RETURN_PATH = 2000


@register.simple_tag(takes_context=True)
def return_path(context):
    """The current page's address for a link that comes back to it, bounded in length."""
    request = context.get("request")
    if request is None:
        return "/"
    full = request.get_full_path()
    return full if len(full) <= MAX_RETURN_PATH else request.path[:MAX_RETURN_PATH]


@register.filter
def machine_time(value):
    """A moment for a ``<time datetime>`` attribute: local time to the second with its offset
    (HTML allows at most three digits of a second's fraction; ``|date:'c'`` gives six)."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


#: Rich text that shows something even without words in it.
_MEDIA = re.compile(r"<(img|embed|iframe|video|audio|table)\b", re.IGNORECASE)


@register.filter
def has_content(rich_text):
    """Whether rich text would show anything: an editor who cleared a field leaves "<p></p>"
    behind, which must not bring a heading with nothing under it."""
    html = str(rich_text or "")
    if _MEDIA.search(html):
        return True
    return bool(strip_tags(html).replace("&nbsp;", "").strip())


@register.simple_tag(takes_context=True)
def site_identity(context):
    """What the masthead and the footer show of the site's identity (SiteIdentity), from
    the cache; None outside a site."""
    site = current_site(context)
    if site is None:
        return None
    return shown_identity(site, identity_version(context.get("request")))


@register.simple_tag(takes_context=True)
def current_site(context):
    """The Wagtail site the request is for (Site.find_for_request, kept on the request)."""
    return navigation_site(context.get("request"))


@register.simple_tag(takes_context=True)
def site_home(context):
    """The site's home page as a link (pk, title, url), the one the masthead links to."""
    return main_navigation_menu(context.get("request"))["home"]


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """The sections of the main navigation as ``(link, current)`` pairs (core.navigation)."""
    menu = main_navigation_menu(context.get("request"))
    return mark_current(menu["items"], context.get("page"))
