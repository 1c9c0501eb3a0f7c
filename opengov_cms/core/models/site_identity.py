"""The site's identity on every public page (网站标识): the masthead and the footer items the
政府网站发展指引 (国办发〔2017〕47号) asks of a government website."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from opengov_cms.core.versions import (
    current_version,
    kept_in_process,
    new_version,
    on_commit_once,
)


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """One per site: who runs it and the registrations it shows. Every part is optional; the
    base template shows what is filled in, and a site can override each block."""

    agency_name = models.CharField(
        _("网站名称（页眉）"),
        max_length=100,
        blank=True,
        help_text=_("显示在每个页面顶部，例如“六安市文化和旅游局”；不填则用站点名称。"),
    )
    emblem = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("徽标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("页眉左侧的图标，例如国徽或机构标志。"),
    )
    host = models.CharField(_("主办单位"), max_length=100, blank=True)
    organiser = models.CharField(_("承办单位"), max_length=100, blank=True)
    contact = models.TextField(
        _("联系方式"),
        blank=True,
        help_text=_("地址、电话、电子邮箱等，每行一项。"),
    )
    website_code = models.CharField(
        _("网站标识码"),
        max_length=20,
        blank=True,
        help_text=_("全国政府网站基本数据库赋予的网站标识码。"),
    )
    icp_number = models.CharField(
        _("ICP备案号"), max_length=50, blank=True, help_text=_("例如：皖ICP备12345678号")
    )
    police_number = models.CharField(
        _("公安机关备案号"),
        max_length=50,
        blank=True,
        help_text=_("例如：皖公网安备34150002000001号"),
    )
    accessibility_url = models.URLField(
        _("无障碍服务地址"),
        blank=True,
        help_text=_("网站无障碍服务（如读屏、辅助工具）的地址；不填则链接到本站的无障碍说明。"),
    )

    panels = [
        MultiFieldPanel([FieldPanel("agency_name"), FieldPanel("emblem")], heading=_("页眉")),
        MultiFieldPanel(
            [
                FieldPanel("host"),
                FieldPanel("organiser"),
                FieldPanel("contact"),
                FieldPanel("website_code"),
                FieldPanel("icp_number"),
                FieldPanel("police_number"),
                FieldPanel("accessibility_url"),
            ],
            heading=_("页脚"),
        ),
    ]

    class Meta:
        verbose_name = _("网站标识")
        verbose_name_plural = _("网站标识")

    def __str__(self):
        return self.agency_name or str(self.site)

    @property
    def contact_lines(self):
        return [line.strip() for line in self.contact.splitlines() if line.strip()]

    @property
    def police_record_code(self):
        """The digits of the police registration, which its official lookup link takes."""
        return "".join(ch for ch in self.police_number if ch.isdigit())


IDENTITY_VERSION_KEY = "opengov_cms:site_identity:version"
IDENTITY_CACHE_SECONDS = 3600
EMBLEM_FILTER = "height-96"  # shown 48 px high: sharp on a screen of twice the density


@dataclass(frozen=True)
class ShownIdentity:
    """What the chrome shows of a site's identity, with the emblem's rendition resolved, so a
    page reads it from the cache without a query."""

    agency_name: str = ""
    host: str = ""
    organiser: str = ""
    contact_lines: list = field(default_factory=list)
    website_code: str = ""
    icp_number: str = ""
    police_number: str = ""
    police_record_code: str = ""
    accessibility_url: str = ""
    emblem_url: str = ""
    emblem_width: int = 0
    emblem_height: int = 0

    @property
    def has_footer_items(self):
        return any(
            (self.host, self.organiser, self.website_code, self.icp_number, self.police_number)
        ) or bool(self.contact_lines)


def shown_identity(site, version=None):
    """The identity of ``site`` as the chrome shows it, kept in the cache until an identity
    or an image changes, and in each process for IN_PROCESS_SECONDS of that. Reading it never
    writes: a site without one shows nothing. ``version``: IDENTITY_VERSION_KEY's, when the
    caller read it already."""
    if version is None:
        version = current_version(IDENTITY_VERSION_KEY)
    key = f"opengov_cms:site_identity:{site.pk}:{version}"
    return kept_in_process(key, lambda: _kept_identity(site, key))


def _kept_identity(site, key):
    shown = cache.get(key)
    if shown is not None:
        return shown
    identity = SiteIdentity.objects.filter(site_id=site.pk).select_related("emblem").first()
    shown = ShownIdentity()
    if identity is not None:
        emblem = {}
        if identity.emblem is not None:
            rendition = identity.emblem.get_rendition(EMBLEM_FILTER)
            emblem = {
                "emblem_url": rendition.url,
                "emblem_width": rendition.width,
                "emblem_height": rendition.height,
            }
        shown = ShownIdentity(
            agency_name=identity.agency_name,
            host=identity.host,
            organiser=identity.organiser,
            contact_lines=identity.contact_lines,
            website_code=identity.website_code,
            icp_number=identity.icp_number,
            police_number=identity.police_number,
            police_record_code=identity.police_record_code,
            accessibility_url=identity.accessibility_url,
            **emblem,
        )
    cache.set(key, shown, IDENTITY_CACHE_SECONDS)
    return shown


def identity_changed(sender=None, **kwargs):
    """A signal receiver: an identity or an image (an emblem) was saved or deleted. The
    version moves at once and again when the transaction commits, so a copy another process
    read between the two is not kept."""
    new_version(IDENTITY_VERSION_KEY)
    if transaction.get_connection().in_atomic_block:
        on_commit_once(_move_identity_version)


def _move_identity_version():
    new_version(IDENTITY_VERSION_KEY)
