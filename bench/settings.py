"""Settings of the benchmark site: the package as a site installs it, plus the baselines.

Read from the environment so the harness can start the same site in several shapes:
BENCH_DATABASE_URL (its own database, never the sandbox's or the tests'), BENCH_SEARCH
("database" or "opensearch"), BENCH_CACHE ("1": the caching setup of docs/scaling.md),
BENCH_REDIS_URL, BENCH_OPENSEARCH_URL, BENCH_INDEX_PREFIX.
"""

import os

import dj_database_url

import opengov_cms

SECRET_KEY = os.environ.get("BENCH_SECRET_KEY", "bench-only-secret-key-" + "b" * 40)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    *opengov_cms.INSTALLED_APPS,
    "bench",
    "wagtail.contrib.forms",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

CACHING = os.environ.get("BENCH_CACHE") == "1"

# The sandbox's stack; the query counter is outermost so it sees every query of a request.
MIDDLEWARE = [
    "bench.middleware.QueryCountMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
if CACHING:
    # docs/scaling.md, "Cache pages for anonymous readers".
    MIDDLEWARE.insert(1, "django.middleware.cache.UpdateCacheMiddleware")
    MIDDLEWARE.append("django.middleware.cache.FetchFromCacheMiddleware")
    CACHE_MIDDLEWARE_SECONDS = 300
    CACHE_MIDDLEWARE_KEY_PREFIX = "bench"

ROOT_URLCONF = "bench.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
WSGI_APPLICATION = "bench.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/opengov-bench.sqlite3"),
        conn_max_age=600,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several server processes share the file: wait for a writer instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Persistent connections and no pooler in between: psycopg may prepare what repeats
    # (docs/scaling.md, "Let PostgreSQL plan a search's check once").
    DATABASES["default"]["OPTIONS"] = {"prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("BENCH_INDEX_PREFIX", "bench"),
        }
    }
    # As docs/scaling.md advises a site with a shared cache.
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    # The server's jobs go to Celery, as docs/scaling.md advises a site of this size
    # (BENCH_TASK_RUNNER, set by the harness for the server only: the harness's own work, the
    # bulk import included, keeps running its jobs in its process and is measured with them).
    if os.environ.get("BENCH_TASK_RUNNER") == "celery":
        OPENGOV_CMS_TASK_RUNNER = "celery"
        CELERY_BROKER_URL = REDIS_URL
        CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ.get("BENCH_MEDIA_ROOT", "/tmp/opengov-bench-media")
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

WAGTAIL_SITE_NAME = "opengov_cms benchmark"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "opengov_cms.core.uploads.DocumentForm"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Wagtail's own search index is not what is measured; the package's search is.
WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = False

if os.environ.get("BENCH_SEARCH") == "opensearch":
    OPENGOV_CMS_SEARCH = {
        "BACKEND": "opengov_cms.search.backends.engine.OpenSearchBackend",
        "OPTIONS": {
            "HOSTS": [os.environ.get("BENCH_OPENSEARCH_URL", "http://127.0.0.1:9200")],
            "INDEX_PREFIX": os.environ.get("BENCH_INDEX_PREFIX", "bench"),
            "NUMBER_OF_REPLICAS": 0,
            "REBUILD_TIMEOUT": 600,
        },
    }
# Every submission of the load test comes from 127.0.0.1: the per-address limit of a real
# site (5 an hour) would turn all but five away, so the benchmark lifts it.
OPENGOV_CMS_REQUESTS_SUBMIT_RATE = (10**9, 3600)
OPENGOV_CMS_REQUESTS_CHALLENGE = False
OPENGOV_CMS_REQUESTS_ENCRYPTION_KEYS = ["Q2ZnV2x0Y3VhZ3lNRnZsT0xkd2l1c2pCTmdqTWpQa3M="]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
