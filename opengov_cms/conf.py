"""Every OPENGOV_CMS_* setting with its default, read from django.conf.settings at call time.

Use ``from opengov_cms.conf import opengov_settings`` and read attributes without the
prefix (``opengov_settings.SEARCH``). Nothing is cached, so ``override_settings`` works.
Each setting is documented once, in docs/reference/settings.md.
"""

from django.conf import settings

PREFIX = "OPENGOV_CMS_"

DEFAULTS = {
    # The search backend: {"BACKEND": dotted path, "OPTIONS": {...}}.
    "SEARCH": {
        "BACKEND": "opengov_cms.search.backends.database.DatabaseSearchBackend",
        "OPTIONS": {},
    },
    # Where background jobs run: "immediate" (in the web process, after the transaction
    # commits) or "celery" (enqueued on the site's Celery app; needs the celery extra).
    "TASK_RUNNER": "immediate",
    # The index number (索引号) of a disclosed page; {org_code}, {year} and {seq} are filled in.
    "INDEX_NUMBER_PATTERN": "{org_code}/{year}-{seq:05d}",
    # The most rows one CSV or JSON export of a catalogue list returns.
    "EXPORT_MAX_ROWS": 10000,
    # A catalogue section with nothing published for this many days is reported as stale.
    "STALE_SECTION_DAYS": 90,
    # 三同步: a policy document marked as needing an interpretation goes live only together
    # with an approved interpretation. False turns the rule off for the whole site.
    "SYNCHRONISED_INTERPRETATION": True,
    # The longest comment (in characters) the public may send on a consultation.
    "CONSULTATION_COMMENT_MAX_LENGTH": 2000,
    # How many comments one client may send: (count, seconds).
    "CONSULTATION_COMMENT_RATE": (5, 3600),
    # Files the document library accepts (extensions), and the largest, in bytes; checked on
    # upload when WAGTAILDOCS_DOCUMENT_FORM_BASE is "opengov_cms.core.uploads.DocumentForm".
    "DOCUMENT_EXTENSIONS": ["pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "et", "csv", "txt"],
    "DOCUMENT_MAX_SIZE": 50 * 1024 * 1024,
    # Repealed documents (有效性: 已废止) leave the site's lists, feeds, exports, sitemaps, API
    # and search, and their pages answer 404. False keeps them, marked as repealed.
    "HIDE_REPEALED": False,
    # Whether a document of the library that no page uses may be downloaded by the public.
    # False: only files of pages that may leave the site are served (staff always get them).
    "DOCUMENTS_UNUSED_PUBLIC": False,
    # The largest body, in bytes, a request outside the Wagtail admin may declare before it is
    # refused with 413 (RequestSizeLimitMiddleware). None: the application form's largest,
    # REQUESTS_UPLOAD_MAX_FILES × REQUESTS_UPLOAD_MAX_SIZE and 1 MB for its fields.
    "PUBLIC_BODY_MAX_SIZE": None,
    # The fewest seconds a person takes to fill in a public form (application, comment);
    # one sent faster is kept, marked as likely automated for staff to judge.
    "FORM_MIN_FILL_SECONDS": 3,
    # The template every public page of the package extends.
    "BASE_TEMPLATE": "opengov_cms/base.html",
    # How many levels of sections below the site's root page the site map (网站地图) shows.
    "SITE_MAP_DEPTH": 3,
    # Working days: from this (month, day) on, staff are warned when next year's holiday
    # schedule is not known yet (the State Council publishes it in November or December).
    "CALENDAR_NEXT_YEAR_FROM": (11, 1),
    # Disclosure on request
    # Fernet keys for applicants' personal data; the first encrypts, all decrypt. Empty:
    # a key derived from SECRET_KEY (a system check warns).
    "REQUESTS_ENCRYPTION_KEYS": [],
    # Tracking numbers; {org_code}, {year} and {seq} (per organisation and year).
    "REQUESTS_TRACKING_NUMBER_PATTERN": "{org_code}-{year}-{seq:05d}",
    # (submissions, seconds) per client address for the form, and the same for lookups.
    "REQUESTS_SUBMIT_RATE": (5, 3600),
    "REQUESTS_LOOKUP_RATE": (20, 600),
    # Attachments to an application: largest file in bytes, how many, which types.
    "REQUESTS_UPLOAD_MAX_SIZE": 10 * 1024 * 1024,
    "REQUESTS_UPLOAD_MAX_FILES": 5,
    "REQUESTS_UPLOAD_TYPES": ["pdf", "jpeg", "png"],
    # Working days the applicant is given to correct an application, counted from the day
    # the correction notice is received (Art. 30 leaves the period to the agency).
    "REQUESTS_CORRECTION_PERIOD": 15,
    # The fee tariff: None for 国办函〔2020〕109号 as shipped (disclosure_requests/data/
    # fee_tariff.json), or a path to a JSON file, or a dict, of the same form. The payment
    # period is part of it.
    "REQUESTS_FEE_TARIFF": None,
    # Reminders go out when a reply is due within this many working days, or overdue.
    "REQUESTS_DUE_SOON_DAYS": 5,
    # Addresses of the disclosure office that receive the daily reminder digest.
    "REQUESTS_OFFICE_EMAILS": [],
    # Personal data of requests archived more than this many years ago is removed.
    "REQUESTS_ANONYMISE_AFTER_YEARS": 5,
    # Ask a question in text (e.g. 3 加 4 等于几？) on the online form, against scripted
    # submissions; the honeypot and the rate limit work without it.
    "REQUESTS_CHALLENGE": False,
    # Statistics and reports
    # The day of the month after a quarter on which the quarter's request results are made.
    "REPORTS_QUARTERLY_DAY": 10,
    # What becomes of a new quarterly report: "review" (submitted to the page's workflow) or
    # "live" (published at once).
    "REPORTS_QUARTERLY_PUBLICATION": "review",
    # The day of January on which the draft of the previous year's annual report is made,
    # and the day from which the office is reminded if it is not yet published (due 31 Jan).
    "REPORTS_ANNUAL_DRAFT_DAY": 1,
    "REPORTS_ANNUAL_REMINDER_DAY": 20,
    # Slugs of the catalogue sections reports are filed in (the catalogue root without one).
    "REPORTS_QUARTERLY_SECTION": "on-request",
    "REPORTS_ANNUAL_SECTION": "annual-reports",
    # Supervision (the year's plan as tasks, submissions, the rectification ledger)
    # The day of the month submissions are due: of a quarter's last month for quarterly
    # tasks (the seed plan's "每季度月末28日"), of every month for monthly ones.
    "SUPERVISION_SUBMISSION_DAY": 28,
    # Units are reminded this many days before a submission or a rectification is due.
    "SUPERVISION_REMINDER_DAYS": 7,
    # A standard-catalogue item whose newest publication is older than this many days is
    # reported as not updated for long (长期未更新).
    "SUPERVISION_STANDARD_STALE_DAYS": 365,
    # Public messages (政民互动)
    # Working days to reply to a message, by category (咨询, 建议, 投诉, 其他), counted on the
    # working-day calendar from the day after receipt. The agency's own choice: no national
    # text fixes these periods.
    "INTERACTION_REPLY_DAYS": {"consultation": 5, "suggestion": 10, "complaint": 10, "other": 10},
    # Tracking numbers of messages; {org_code}, {year} and {seq} (per organisation and year).
    "INTERACTION_TRACKING_NUMBER_PATTERN": "{org_code}-LY-{year}-{seq:05d}",
    # (messages, seconds) per client address for the form, and the same for status lookups.
    "INTERACTION_SUBMIT_RATE": (5, 3600),
    "INTERACTION_LOOKUP_RATE": (20, 600),
    # The longest message, in characters.
    "INTERACTION_MESSAGE_MAX_LENGTH": 3000,
    # Ask a question in text on the message form, as REQUESTS_CHALLENGE does on the
    # application form.
    "INTERACTION_CHALLENGE": False,
    # Reminders go out when a reply is due within this many working days, or overdue.
    "INTERACTION_DUE_SOON_DAYS": 2,
    # Addresses that receive the daily digest of messages due soon or overdue.
    "INTERACTION_OFFICE_EMAILS": [],
    # Slug of the catalogue section the quarterly message statistics are filed in.
    "INTERACTION_REPORTS_SECTION": "interaction",
    # Search
    # Longest query, in characters, that search reads; the rest is ignored.
    "SEARCH_QUERY_MAX_LENGTH": 200,
    # Results per page of the public search page.
    "SEARCH_PER_PAGE": 20,
}

TASK_RUNNERS = ("immediate", "celery")


class OpengovSettings:
    """Attribute access to the package's settings, resolved on every read."""

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"{PREFIX}{name} is not a setting of opengov_cms")
        return getattr(settings, PREFIX + name, DEFAULTS[name])

    def setting_name(self, name):
        return PREFIX + name


opengov_settings = OpengovSettings()
