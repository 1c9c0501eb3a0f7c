"""System checks: a misconfigured site fails at startup with a message naming the setting."""

import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.utils.module_loading import import_string

import opengov_cms
from opengov_cms.conf import TASK_RUNNERS, opengov_settings
from opengov_cms.core.calendar import missing_years

#: Apps the package relies on besides its own; every `wagtail start` site has them.
REQUIRED_APPS = [
    "wagtail",
    "wagtail.contrib.settings",
    "wagtail.admin",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.snippets",
    "wagtail.users",
    "wagtail.sites",
    "modelcluster",
    "taggit",
]

DOCS_INSTALL = "docs/install.md"


def require_core_app():
    """Stop startup when opengov_core is missing: the other apps' models point at it, so
    Django could not load them and no system check could run to report it."""
    if not apps.is_installed("opengov_cms.core"):
        raise ImproperlyConfigured(
            "INSTALLED_APPS lacks 'opengov_cms.core', which the other opengov_cms apps need. "
            f"Add it to INSTALLED_APPS (the full list is in {DOCS_INSTALL})."
        )


@register(Tags.compatibility)
def check_installed_apps(app_configs=None, **kwargs):
    errors = []
    for name in [*opengov_cms.INSTALLED_APPS, *REQUIRED_APPS]:
        if not apps.is_installed(name):
            errors.append(
                Error(
                    f"INSTALLED_APPS lacks '{name}', which opengov_cms needs.",
                    hint=f"Add '{name}' to INSTALLED_APPS (the full list is in {DOCS_INSTALL}).",
                    id="opengov_cms.E001",
                )
            )
    return errors


@register(Tags.compatibility)
def check_search_backend(app_configs=None, **kwargs):
    if not apps.is_installed("opengov_cms.search"):
        return []  # E001 says so; the backends need the app's models
    name = opengov_settings.setting_name("SEARCH")
    config = opengov_settings.SEARCH
    if not isinstance(config, dict) or not isinstance(config.get("BACKEND"), str):
        return [
            Error(
                f"{name} must be a dict with a 'BACKEND' dotted path and optional 'OPTIONS'.",
                hint=f'For example {name} = {{"BACKEND": '
                '"opengov_cms.search.backends.database.DatabaseSearchBackend"}.',
                id="opengov_cms.E002",
            )
        ]
    errors = []
    try:
        import_string(config["BACKEND"])
    except ImportError as exc:
        errors.append(
            Error(
                f"{name}['BACKEND'] = {config['BACKEND']!r} cannot be imported: {exc}",
                hint="Check the dotted path, and install the extra the backend needs "
                "(opengov-cms[opensearch] or opengov-cms[elasticsearch]).",
                id="opengov_cms.E002",
            )
        )
    if not isinstance(config.get("OPTIONS", {}), dict):
        errors.append(
            Error(
                f"{name}['OPTIONS'] must be a dict.",
                id="opengov_cms.E002",
            )
        )
    return errors


@register(Tags.compatibility)
def check_task_runner(app_configs=None, **kwargs):
    name = opengov_settings.setting_name("TASK_RUNNER")
    runner = opengov_settings.TASK_RUNNER
    if runner not in TASK_RUNNERS:
        return [
            Error(
                f"{name} = {runner!r} is not one of {', '.join(TASK_RUNNERS)}.",
                id="opengov_cms.E003",
            )
        ]
    if runner == "celery" and importlib.util.find_spec("celery") is None:
        return [
            Error(
                f"{name} = 'celery' but Celery is not installed.",
                hint="pip install 'opengov-cms[celery]', or set "
                f"{name} = 'immediate' to run jobs in the web process.",
                id="opengov_cms.E004",
            )
        ]
    return []


@register(Tags.security)
def check_secret_key(app_configs=None, **kwargs):
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:
        secret_key = ""
    if not secret_key:
        return [
            Error(
                "SECRET_KEY is empty.",
                hint="Set SECRET_KEY in the site's settings (the sandbox reads it from the "
                "DJANGO_SECRET_KEY environment variable).",
                id="opengov_cms.E005",
            )
        ]
    return []


@register(Tags.security)
def check_document_uploads(app_configs=None, **kwargs):
    from opengov_cms.core.uploads import DOCUMENT_FORM_BASE

    errors = []
    extensions = opengov_settings.DOCUMENT_EXTENSIONS
    if not isinstance(extensions, list | tuple) or not all(
        isinstance(extension, str) and extension and not extension.startswith(".")
        for extension in extensions
    ):
        errors.append(
            Error(
                f"{opengov_settings.setting_name('DOCUMENT_EXTENSIONS')} must be a list of "
                "file extensions without the dot.",
                hint='For example ["pdf", "ofd", "docx"].',
                id="opengov_cms.E006",
            )
        )
    max_size = opengov_settings.DOCUMENT_MAX_SIZE
    if max_size is not None and (not isinstance(max_size, int) or max_size <= 0):
        errors.append(
            Error(
                f"{opengov_settings.setting_name('DOCUMENT_MAX_SIZE')} must be a positive "
                "number of bytes, or None.",
                id="opengov_cms.E006",
            )
        )
    form_base = getattr(settings, "WAGTAILDOCS_DOCUMENT_FORM_BASE", "")
    checked = False
    if form_base:
        try:
            from opengov_cms.core.uploads import DocumentForm

            checked = issubclass(import_string(form_base), DocumentForm)
        except ImportError:
            checked = False
    if not checked:
        errors.append(
            Warning(
                "Files uploaded to the document library are not checked for type, size "
                "and content.",
                hint=f'Set WAGTAILDOCS_DOCUMENT_FORM_BASE = "{DOCUMENT_FORM_BASE}" '
                f"(or a subclass of it); see {DOCS_INSTALL}.",
                id="opengov_cms.W006",
            )
        )
    return errors


#: Wagtail's default: these open in the browser instead of downloading.
WAGTAIL_INLINE_DEFAULT = ["application/pdf", "text/plain"]


@register(Tags.security)
def check_documents_download(app_configs=None, **kwargs):
    """Files of disclosed pages are sent as downloads, so a file never runs in the site's
    origin (a crafted PDF or HTML) and its address says what it is."""
    inline = getattr(settings, "WAGTAILDOCS_INLINE_CONTENT_TYPES", WAGTAIL_INLINE_DEFAULT)
    if inline:
        return [
            Warning(
                "Documents of these types open in the browser instead of downloading: "
                f"{', '.join(inline)}.",
                hint="Set WAGTAILDOCS_INLINE_CONTENT_TYPES = [] "
                "(docs/install.md, docs/security.md).",
                id="opengov_cms.W007",
            )
        ]
    return []


SIZE_MIDDLEWARE = "opengov_cms.core.middleware.RequestSizeLimitMiddleware"


@register(Tags.security)
def check_size_middleware(app_configs=None, **kwargs):
    """A public body too large to be a form is refused before the CSRF check reads it."""
    middleware = list(getattr(settings, "MIDDLEWARE", []))
    if SIZE_MIDDLEWARE not in middleware:
        return [
            Warning(
                "Request bodies of any size are read before the package's forms can refuse "
                "them: the size-limit middleware is not installed.",
                hint=f'Put "{SIZE_MIDDLEWARE}" first in MIDDLEWARE ({DOCS_INSTALL}).',
                id="opengov_cms.W008",
            )
        ]
    if middleware.index(SIZE_MIDDLEWARE) > 0:
        return [
            Warning(
                f"{SIZE_MIDDLEWARE} is not first in MIDDLEWARE: a middleware before it may read "
                "the body first.",
                hint="Move it to the top of MIDDLEWARE.",
                id="opengov_cms.W008",
            )
        ]
    return []


@register(deploy=True)
def check_sqlite_options(app_configs=None, **kwargs):
    """On SQLite, concurrent applicants and editors need WAL, an immediate write lock and a
    busy timeout (opengov_cms.SQLITE_OPTIONS); without them writers fail with "database is
    locked" under load."""
    warnings = []
    for alias, config in settings.DATABASES.items():
        if config.get("ENGINE") != "django.db.backends.sqlite3":
            continue
        name = str(config.get("NAME", ""))
        if not name or ":memory:" in name or "mode=memory" in name:
            continue
        options = config.get("OPTIONS", {})
        if options.get("transaction_mode") != "IMMEDIATE" or not options.get("timeout"):
            warnings.append(
                Warning(
                    f'DATABASES["{alias}"] is SQLite without an immediate write lock and a busy '
                    "timeout: concurrent submissions fail with 'database is locked'.",
                    hint=f'Set DATABASES["{alias}"]["OPTIONS"] = opengov_cms.SQLITE_OPTIONS '
                    "(docs/scaling.md).",
                    id="opengov_cms.W009",
                )
            )
    return warnings


@register(Tags.database)
def check_holiday_years(app_configs=None, databases=None, **kwargs):
    """This year's holiday schedule, and from 1 November next year's, must be known before
    a deadline reaches it. Runs where checks see the database (``migrate``,
    ``check --database default``): a warning, since the site works until then."""
    if not databases:
        return []
    try:
        found = missing_years()
    except DatabaseError:
        return []  # not migrated yet
    return [
        Warning(
            str(year.message),
            hint="政务公开 → 节假日安排 → 粘贴通知 (docs/staff-guide.md, 每年的节假日安排).",
            id="opengov_cms.W201",
        )
        for year in found
    ]
