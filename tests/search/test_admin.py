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
        assert "一件事一次办" not in analysis.segment("推进一件事一次办改革")
        response = editor.post(
            LIST + "add/", {"term": "一件事一次办", "equivalents": "", "weight": "", "note": ""}
        )
        assert response.status_code == 302
        # Saving the term reloads the dictionary in this process at once.
        assert "一件事一次办" in analysis.segment("推进一件事一次办改革")
    finally:
        analysis.invalidate_terms()


def test_the_starting_list_is_there_with_its_sources(editor, db):
    html = editor.get(LIST, {"q": "非遗"}).content.decode()
    assert "非物质文化遗产" in html
    term = SearchTerm.objects.get(term="三公经费")
    assert "因公出国（境）费、公务用车购置及运行费和公务接待费" in term.equivalents.splitlines()
    assert "财政部" in term.note
    # Every entry says where its wording comes from.
    assert not SearchTerm.objects.filter(note="").exists()


def test_equivalents_added_in_the_admin_widen_the_next_search(editor, db):
    from opengov_cms.search.backends import get_search_backend

    backend = get_search_backend()
    backend.index([{"id": "x:1", "title": "关于推行一件事一次办的通知"}])
    analysis.invalidate_terms()
    try:
        assert backend.search("一件事").ids == ["x:1"]
        assert backend.search("高效办成一件事").ids == []
        response = editor.post(
            LIST + "add/",
            {
                "term": "高效办成一件事",
                "equivalents": "一件事一次办\r\n\r\n",
                "weight": "",
                "note": "",
            },
        )
        assert response.status_code == 302
        assert SearchTerm.objects.get(term="高效办成一件事").equivalents == "一件事一次办"
        results = backend.search("高效办成一件事")
        assert results.ids == ["x:1"]
        assert results.query.widened_to == ["一件事一次办"]
    finally:
        analysis.invalidate_terms()


def test_too_many_or_too_long_equivalents_are_refused_in_chinese(editor, db):
    many = "\n".join(f"写法{n}" for n in range(30))
    response = editor.post(
        LIST + "add/", {"term": "测试", "equivalents": many, "weight": "", "note": ""}
    )
    assert response.status_code == 200
    assert "写法不能超过 20 个" in response.content.decode()
    response = editor.post(
        LIST + "add/", {"term": "测试", "equivalents": "长" * 61, "weight": "", "note": ""}
    )
    assert "超过 60 个字" in response.content.decode()
    assert not SearchTerm.objects.filter(term="测试").exists()
