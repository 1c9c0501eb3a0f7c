"""Before applying, the applicant sees catalogue items that may already answer the request."""

import datetime

import pytest

from opengov_cms.disclosure_requests.models import DisclosureRequest, RequestFormPage


@pytest.fixture
def apply_page(home_page, organisation):
    page = RequestFormPage(title="政府信息公开申请", slug="apply", organisation=organisation)
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_matching_disclosed_items_are_shown_and_what_was_typed_is_kept(
    apply_page, publish_entry, client, django_capture_on_commit_callbacks
):
    # Publishing indexes the pages once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        entry = publish_entry(
            title="六安市文化和旅游局2019年部门预算",
            summary="公开本部门2019年收支预算和三公经费预算。",
            publication_date=datetime.date(2019, 2, 23),
        )
        publish_entry(title="旅游市场抽查结果", summary="双随机抽查。")
    response = client.post(
        apply_page.url,
        {
            "action-suggest": "1",
            "applicant_name": "张三",
            "description": "请公开贵局2019年的部门预算",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "可能已经公开的信息" in html
    assert f'href="{entry.url}"' in html
    assert "旅游市场抽查结果" not in html
    assert 'value="张三"' in html  # nothing typed is lost
    assert "需要修改" not in html  # and nothing is judged yet
    assert not DisclosureRequest.objects.exists()


def test_no_match_says_so(apply_page, client, db):
    html = client.post(
        apply_page.url, {"action-suggest": "1", "description": "无关内容查询"}
    ).content
    assert "没有找到相关的已公开信息" in html.decode()


def test_an_empty_description_searches_nothing(apply_page, client, db):
    html = client.post(apply_page.url, {"action-suggest": "1", "description": ""}).content
    assert "没有找到相关的已公开信息" in html.decode()
