"""The dictionary of domain terms in the Wagtail admin."""

import pytest

from opengov_cms.search import analysis
from opengov_cms.search.models import SearchTerm

LIST = "/admin/snippets/opengov_search/searchterm/"


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    return client


def test_terms_are_listed_searched_and_added(editor, db):
    SearchTerm.objects.create(term="三同步", note="政策文件与解读同步")
    SearchTerm.objects.create(term="依申请公开")
    response = editor.get(LIST, {"q": "同步"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "三同步" in html and "依申请公开" not in html

    analysis.invalidate_terms()
    try:
        assert "放管服" not in analysis.segment("深化放管服改革")
        response = editor.post(LIST + "add/", {"term": "放管服", "weight": "", "note": ""})
        assert response.status_code == 302
        # Saving the term reloads the dictionary in this process at once.
        assert "放管服" in analysis.segment("深化放管服改革")
    finally:
        analysis.invalidate_terms()
