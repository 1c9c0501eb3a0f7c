"""Models of opengov_core."""

from opengov_cms.core.models.attachments import AbstractAttachment
from opengov_cms.core.models.holidays import HolidayCalendar, HolidayCalendarDay
from opengov_cms.core.models.metadata import DisclosureMetadata, IndexNumber, IndexNumberSequence
from opengov_cms.core.models.organisations import Leader, Organisation
from opengov_cms.core.models.outbox import OutboxMessage
from opengov_cms.core.models.site_identity import SiteIdentity
from opengov_cms.core.models.taxonomies import (
    DisclosureAttribute,
    DocumentKind,
    Genre,
    NonDisclosureReason,
    Topic,
    Validity,
)
from opengov_cms.core.models.workflow import ConfidentialityReview, ConfidentialityReviewTask

__all__ = [
    "AbstractAttachment",
    "ConfidentialityReview",
    "ConfidentialityReviewTask",
    "DisclosureAttribute",
    "DisclosureMetadata",
    "DocumentKind",
    "Genre",
    "HolidayCalendar",
    "HolidayCalendarDay",
    "IndexNumber",
    "IndexNumberSequence",
    "Leader",
    "NonDisclosureReason",
    "Organisation",
    "OutboxMessage",
    "SiteIdentity",
    "Topic",
    "Validity",
]
