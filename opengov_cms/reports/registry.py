"""Kinds of quarterly report that apps above the reports add to its scheduled publication.

The reports app never imports them: an app (the public's messages, opengov_cms.interaction)
names its report page type here from its AppConfig.ready(), and the hourly job makes that
report for every quarter and organisation it is due for, exactly once, the same way it makes
the quarterly results of requests (opengov_cms.reports.publishing). The page type subclasses
``AbstractQuarterlyReportPage`` and says what it counts (``refresh_statistics``), how its
tables look (``tables``), and for which organisations and quarters it is due
(``report_is_due``).
"""

from django.apps import apps

from opengov_cms.reports.models import QuarterlyReportPage

_quarterly = []


def register_quarterly_report(label):
    """Publish the report page type ``label`` ("app_label.ModelName") every quarter."""
    if label not in _quarterly:
        _quarterly.append(label)


def quarterly_report_models():
    """The quarterly report page types, the request results first."""
    return [QuarterlyReportPage, *(apps.get_model(label) for label in _quarterly)]
