"""Indexing from Wagtail's page signals, and the rebuild and check commands.

Pages here are plain Wagtail pages given a ``get_search_document`` for the test, the way the
package's page types provide one; publishing, unpublishing, moving and deleting them goes
through Wagtail's real signals and the job enqueued on commit.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, PageViewRestriction

from opengov_cms.search.backends import get_search_backend


def fake_search_document(self):
    return {
        "id": "ignored",
        "title": self.title,
        "summary": f"{self.title}的摘要",
        "url": self.url_path,
        "validity": "valid",
        "content_type": "wagtailcore.page",
        "date": "2024-01-01",
    }


@pytest.fixture
def searchable(monkeypatch):
    monkeypatch.setattr(Page, "get_search_document", fake_search_document, raising=False)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the jobs enqueued on commit, as they run after a real request's transaction."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def found(query):
    return get_search_backend().search(query).ids


@pytest.fixture
def section(home_page, searchable, on_commit):
    return on_commit(
        lambda: publish(
            home_page.add_child(instance=Page(title="政策文件", slug="zcwj", live=False))
        )
    )


def test_publish_indexes_and_unpublish_removes(section, on_commit):
    page = on_commit(
        lambda: publish(
            section.add_child(instance=Page(title="政府信息公开指南", slug="g", live=False))
        )
    )
    assert found("信息公开") == [f"page:{page.pk}"]
    hit = get_search_backend().search("信息公开").hits[0]
    assert hit.title == "政府信息公开指南"
    on_commit(page.unpublish)
    assert found("信息公开") == []


def test_a_rolled_back_publish_is_not_indexed(section, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(section.add_child(instance=Page(title="草稿文件", slug="d", live=False)))
    assert callbacks  # a job was waiting for the commit that never came
    assert found("草稿") == []


def test_move_updates_the_url_and_delete_removes(section, home_page, on_commit):
    other = on_commit(
        lambda: publish(
            home_page.add_child(instance=Page(title="规划计划", slug="ghjh", live=False))
        )
    )
    page = on_commit(
        lambda: publish(
            section.add_child(instance=Page(title="年度工作要点", slug="p", live=False))
        )
    )
    assert get_search_backend().search("工作要点").hits[0].url.endswith("/zcwj/p/")
    on_commit(page.move, other, pos="last-child")
    assert get_search_backend().search("工作要点").hits[0].url.endswith("/ghjh/p/")
    on_commit(Page.objects.get(pk=page.pk).delete)
    assert found("工作要点") == []


def test_restricted_pages_are_not_indexed(section, on_commit):
    page = on_commit(
        lambda: publish(
            section.add_child(instance=Page(title="内部事务信息", slug="n", live=False))
        )
    )
    assert found("内部事务") == [f"page:{page.pk}"]
    PageViewRestriction.objects.create(page=section, restriction_type="password", password="x")
    on_commit(publish, page)
    assert found("内部事务") == []


def test_publishing_works_when_search_is_down(section, on_commit, settings, caplog):
    pytest.importorskip("opensearchpy")
    settings.OPENGOV_CMS_SEARCH = {
        "BACKEND": "opengov_cms.search.backends.engine.OpenSearchBackend",
        "OPTIONS": {"HOSTS": ["http://127.0.0.1:9"], "TIMEOUT": 1},
    }
    page = on_commit(
        lambda: publish(section.add_child(instance=Page(title="停电通知", slug="t", live=False)))
    )
    assert page.live
    assert "search index not updated" in caplog.text


def test_rebuild_and_check_commands(section, on_commit, capsys):
    for index, title in enumerate(["预算公开", "决算公开", "采购公告"]):
        on_commit(
            lambda i=index, t=title: publish(
                section.add_child(instance=Page(title=t, slug=f"s{i}", live=False))
            )
        )
    backend = get_search_backend()
    backend.clear()
    with pytest.raises(CommandError, match="differ from the pages by -5 documents"):
        call_command("opengov_search_check")
    assert "wagtailcore.page: 5 pages, 0 documents (-5)" in capsys.readouterr().out
    call_command("opengov_search_rebuild", chunk_size=2)
    output = capsys.readouterr().out
    # The home page, the section and its three pages; the root page is never a document.
    assert "public [##############################] 5/5 pages" in output
    assert "Indexed 5 documents with the database backend." in output
    assert f"Indexed {Page.objects.count()} pages for the admin's page search." in output
    assert backend.count() == 5
    call_command("opengov_search_check")
    output = capsys.readouterr().out
    assert "wagtailcore.page: 5 pages, 5 documents\n" in output
    assert "The search indexes are complete." in output
    assert len(found("公开")) == 2


def test_a_section_made_private_leaves_the_index_with_its_pages(section, on_commit):
    page = on_commit(
        lambda: publish(
            section.add_child(instance=Page(title="内部事务信息", slug="n", live=False))
        )
    )
    assert found("内部事务") == [f"page:{page.pk}"]
    restriction = on_commit(
        PageViewRestriction.objects.create,
        page=section,
        restriction_type=PageViewRestriction.LOGIN,
    )
    # Nobody republished anything: the restriction itself takes the pages out.
    assert found("内部事务") == []
    assert found("政策文件") == []
    on_commit(restriction.delete)
    assert found("内部事务") == [f"page:{page.pk}"]
