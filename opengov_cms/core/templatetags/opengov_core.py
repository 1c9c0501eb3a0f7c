"""Template tags shared by the package's public pages."""

from django import template

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
