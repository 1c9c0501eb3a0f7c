"""20 applicants submit the online form at once while an editor republishes pages, all on
one SQLite file; prints what happened as JSON. Run by test_sqlite_concurrency.py:

    python -m tests.disclosure_requests.sqlite_load FORM_URL ENTRY_ID...
"""

import json
import os
import sys
import threading
import traceback

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.disclosure_requests.sqlite_settings"

import django

django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from wagtail.models import Page  # noqa: E402

from opengov_cms.disclosure_requests.forms import make_form_token  # noqa: E402
from tests.disclosure_requests.test_public import application  # noqa: E402

SUBMITTERS = 20
EACH = 2
PUBLISHES = 45


def main(form_url, entry_ids):
    start = threading.Barrier(SUBMITTERS + 1)
    statuses, errors = [], []

    def submit():
        client = Client()
        try:
            start.wait()
            for _ in range(EACH):
                response = client.post(form_url, application(form_token=make_form_token()))
                statuses.append(response.status_code)
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            connections.close_all()

    def publish():
        try:
            start.wait()
            for n in range(PUBLISHES):
                page = Page.objects.get(pk=entry_ids[n % len(entry_ids)]).specific
                page.title = f"{page.title.split('（')[0]}（第{n}次修订）"
                page.save_revision().publish()
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(SUBMITTERS)]
    threads.append(threading.Thread(target=publish))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"statuses": statuses, "errors": errors}))


if __name__ == "__main__":
    main(sys.argv[1], [int(pk) for pk in sys.argv[2:]])
