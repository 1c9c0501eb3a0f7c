"""The catalogues: the strings come out in English, and the shipped files are whole.

Chinese is the source language (every msgid is Chinese). English is the translation the
package ships; the Simplified Chinese catalogues give each msgid back unchanged, so that a
page in Chinese finds its strings in the first catalogue it looks in instead of missing in
all of them. `make messages` updates and compiles the catalogues.
"""

import ast
import gettext
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

import opengov_cms

PACKAGE_DIR = Path(opengov_cms.__file__).resolve().parent
APPS = [
    "core",
    "catalogue",
    "policies",
    "disclosure_requests",
    "reports",
    "supervision",
    "interaction",
    "search",
]
PO_FILES = sorted(PACKAGE_DIR.glob("*/locale/*/LC_MESSAGES/django.po")) + sorted(
    (PACKAGE_DIR.parent / "sandbox").glob("*/locale/*/LC_MESSAGES/django.po")
)


def parse_po(path):
    """The entries of a .po file: dicts of msgid, msgid_plural, msgstr (a list) and flags."""
    entries, entry, key = [], None, None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        starts_entry = line.startswith(("#", "msgctxt ", "msgid "))
        if entry is None or (starts_entry and entry["msgstr"]):
            entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": []}
            entry["flags"] = set()
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if key == "msgstr":
                entry["msgstr"][-1] += text
            else:
                entry[key] += text
        else:
            keyword, _, value = line.partition(" ")
            text = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                key = "msgstr"
                entry["msgstr"].append(text)
            else:
                key = keyword
                entry[key] = text
    return entries


def messages(path):
    """The translated entries of a .po file, without its header."""
    return [entry for entry in parse_po(path) if entry["msgid"]]


# (a) The strings come out in English under "en" and stay Chinese under "zh-hans".


def _representative_strings():
    from opengov_cms.catalogue.listing import ListingFilterForm
    from opengov_cms.core.models import Organisation
    from opengov_cms.disclosure_requests.choices import Channel
    from opengov_cms.disclosure_requests.workflow import ACTION_LABELS
    from opengov_cms.policies.models import ConsultationPage, PolicyDocumentPage
    from opengov_cms.search.views import facet_titles

    return [
        (lambda: Organisation._meta.verbose_name, "机构", "Organisation"),
        (lambda: ListingFilterForm.base_fields["organisation"].label, "发布机构", None),
        (lambda: ListingFilterForm.base_fields["genre"].label, "文种", "Document genre"),
        (lambda: ListingFilterForm.base_fields["organisation"].empty_label, "全部机构", None),
        (
            lambda: PolicyDocumentPage._meta.get_field("effective_date").verbose_name,
            "实施日期",
            "Effective date",
        ),
        (lambda: ConsultationPage._meta.verbose_name, "征求意见", "Public consultation"),
        (lambda: Channel.ONLINE.label, "网上申请", "Online"),
        (lambda: ACTION_LABELS["request_correction"], "告知补正", "Request correction"),
        (lambda: facet_titles()["organisation"], "发布机构", "Issuing organisation"),
    ]


def test_representative_strings_are_english_under_en():
    for get, chinese, english in _representative_strings():
        with translation.override("en"):
            text = str(get())
        assert text != chinese, f"{chinese!r} is not translated"
        assert text.isascii(), f"{chinese!r} came out as {text!r}"
        if english is not None:
            assert text == english


def test_representative_strings_stay_chinese_under_zh_hans():
    for get, chinese, _english in _representative_strings():
        with translation.override("zh-hans"):
            assert str(get()) == chinese


def test_placeholders_and_plurals_under_en():
    with translation.override("en"):
        assert translation.gettext("%(year)s年节假日安排") % {"year": 2027} == (
            "Holiday schedule for 2027"
        )
        one = translation.ngettext("共找到 %(counter)s 条结果", "共找到 %(counter)s 条结果", 1)
        many = translation.ngettext("共找到 %(counter)s 条结果", "共找到 %(counter)s 条结果", 3)
    assert one % {"counter": 1} == "1 result found"
    assert many % {"counter": 3} == "3 results found"


def test_default_language_is_chinese():
    assert translation.get_language() == "zh-hans"
    assert str(translation.gettext("政务公开")) == "政务公开"


def test_chinese_strings_are_found_in_the_chinese_catalogue():
    from django.utils.translation import trans_real

    catalogue = trans_real.translation("zh-hans")._catalog
    for _get, chinese, _english in _representative_strings():
        assert catalogue.get(chinese) == chinese, f"{chinese!r} is not in the zh_Hans catalogue"
    assert catalogue.get(("共找到 %(counter)s 条结果", 0)) == "共找到 %(counter)s 条结果"


# (b) The shipped catalogues are complete and compiled.


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_every_app_with_strings_ships_its_catalogues(language):
    shipped = {
        path.parents[3].name
        for path in PO_FILES
        if path.parents[1].name == language and PACKAGE_DIR in path.parents
    }
    assert shipped == set(APPS)


PLURAL_FORMS = {
    "en": ("Plural-Forms: nplurals=2; plural=(n != 1);", 2),
    "zh_Hans": ("Plural-Forms: nplurals=1; plural=0;", 1),
}


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(PACKAGE_DIR.parent)))
def test_po_file_has_no_empty_or_fuzzy_entries(po_path):
    language = po_path.parents[1].name
    plural_forms, forms = PLURAL_FORMS[language]
    entries = parse_po(po_path)
    header = entries[0]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"], "the header is fuzzy"
    assert plural_forms in header["msgstr"][0]
    for entry in entries[1:]:
        assert "fuzzy" not in entry["flags"], f"fuzzy: {entry['msgid']!r}"
        assert entry["msgstr"] and all(entry["msgstr"]), f"untranslated: {entry['msgid']!r}"
        if entry["msgid_plural"] is not None:
            assert len(entry["msgstr"]) == forms, f"needs {forms} plural forms: {entry['msgid']!r}"
        if language == "zh_Hans":
            assert entry["msgstr"][0] == entry["msgid"], f"changed: {entry['msgid']!r}"


@pytest.mark.parametrize("app", APPS)
def test_the_chinese_catalogue_has_the_strings_of_the_english_one(app):
    ids = {}
    for language in ("en", "zh_Hans"):
        path = PACKAGE_DIR / app / "locale" / language / "LC_MESSAGES" / "django.po"
        ids[language] = {entry["msgid"] for entry in messages(path)}
    assert ids["zh_Hans"] == ids["en"], "run `make messages`"


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(PACKAGE_DIR.parent)))
def test_mo_file_is_compiled_from_its_po_file(po_path):
    """The .mo says what the .po says, so nobody ships a catalogue they forgot to compile.

    Compared by content, not by modification time: a fresh git checkout writes django.mo
    before django.po, so the times say nothing there.
    """
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
    with mo_path.open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)._catalog
    expected = {}
    for entry in messages(po_path):
        if entry["msgid_plural"] is None:
            expected[entry["msgid"]] = entry["msgstr"][0]
        else:
            for index, text in enumerate(entry["msgstr"]):
                expected[(entry["msgid"], index)] = text
    compiled = {key: value for key, value in compiled.items() if key != ""}
    assert compiled == expected, f"{mo_path} is out of date: run `make messages`"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("app", APPS)
def test_catalogue_has_every_string_of_the_app(app, tmp_path, monkeypatch):
    """makemessages on a copy of the app finds no string the shipped catalogue lacks."""
    copy = tmp_path / app
    shutil.copytree(PACKAGE_DIR / app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], extensions=["html", "txt", "py"], verbosity=0)
    found = copy / "locale/en/LC_MESSAGES/django.po"
    shipped = PACKAGE_DIR / app / "locale/en/LC_MESSAGES/django.po"
    found_ids = {entry["msgid"] for entry in messages(found)} if found.exists() else set()
    shipped_ids = {entry["msgid"] for entry in messages(shipped)} if shipped.exists() else set()
    assert not found_ids - shipped_ids, "new strings: run `make messages` and translate them"
