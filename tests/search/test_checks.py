"""System checks of the search settings."""

import pytest
from django.core.checks import run_checks


def ids(errors):
    return [error.id for error in errors]


def test_the_defaults_pass():
    assert not [e for e in run_checks() if e.id.startswith("opengov_cms.E8")]


def test_a_misspelt_engine_option_is_an_error(settings):
    settings.OPENGOV_CMS_SEARCH = {
        "BACKEND": "opengov_cms.search.backends.engine.OpenSearchBackend",
        "OPTIONS": {"HOST": ["https://search:9200"], "TIMEOUT": 5},
    }
    errors = [e for e in run_checks() if e.id == "opengov_cms.E801"]
    assert len(errors) == 1
    assert "HOST" in errors[0].msg and "HOSTS" in errors[0].hint


def test_the_database_backend_takes_only_its_own_options(settings):
    settings.OPENGOV_CMS_SEARCH = {
        "BACKEND": "opengov_cms.search.backends.database.DatabaseSearchBackend",
        "OPTIONS": {"HOSTS": ["http://x"]},
    }
    assert "opengov_cms.E801" in ids(run_checks())


def test_a_bad_backend_is_left_to_e002(settings):
    settings.OPENGOV_CMS_SEARCH = {"BACKEND": "no.such.Backend", "OPTIONS": {"X": 1}}
    found = ids(run_checks())
    assert "opengov_cms.E002" in found
    assert "opengov_cms.E801" not in found


def test_query_length_and_page_size_must_be_sensible(settings):
    settings.OPENGOV_CMS_SEARCH_QUERY_MAX_LENGTH = 0
    settings.OPENGOV_CMS_SEARCH_PER_PAGE = "20"
    assert ids(run_checks()).count("opengov_cms.E802") == 2


def test_engine_options_that_are_not_sensible_numbers_are_errors(settings):
    settings.OPENGOV_CMS_SEARCH = {
        "BACKEND": "opengov_cms.search.backends.engine.OpenSearchBackend",
        "OPTIONS": {"TIMEOUT": 0, "REBUILD_PROCESSES": "2", "NUMBER_OF_REPLICAS": -1},
    }
    messages = [e.msg for e in run_checks() if e.id == "opengov_cms.E803"]
    assert len(messages) == 3
    assert any("TIMEOUT = 0" in message for message in messages)
    assert any("REBUILD_PROCESSES = '2'" in message for message in messages)
    assert any("NUMBER_OF_REPLICAS = -1" in message for message in messages)
    settings.OPENGOV_CMS_SEARCH["OPTIONS"] = {"TIMEOUT": 2.5, "REBUILD_PROCESSES": 0}
    assert "opengov_cms.E803" not in ids(run_checks())


@pytest.mark.django_db
def test_text_indexes_without_row_ids_are_named_with_what_to_run():
    from django.db import connection

    from opengov_cms.search.checks import check_text_index_ids

    assert check_text_index_ids(databases=["default"]) == []
    if connection.vendor != "postgresql":
        return  # SQLite has no such index to miss
    with connection.cursor() as cursor:  # as where btree_gin could not be created
        cursor.execute("DROP INDEX opengov_search_title_vector_id_gin")
    [warning] = check_text_index_ids(databases=["default"])
    assert warning.id == "opengov_cms.W804"
    assert "opengov_search_title_vector_id_gin" in warning.msg
    assert "CREATE EXTENSION btree_gin" in warning.hint
    assert check_text_index_ids(databases=[]) == []  # asked only with --database
