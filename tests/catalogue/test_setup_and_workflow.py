"""`opengov_setup`, the 三审 workflow with its confidentiality review, and the admin path."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, Workflow
from wagtail.test.utils.form_data import rich_text

from opengov_cms.catalogue.models import (
    CatalogueIndexPage,
    CatalogueYearPage,
    DisclosureEntryPage,
    GuidePage,
)
from opengov_cms.core.models import (
    ConfidentialityReview,
    DocumentKind,
    Genre,
    NonDisclosureReason,
    Topic,
)


def counts():
    return (
        Topic.objects.filter(parent=None).count(),
        Topic.objects.count(),
        Genre.objects.count(),
        DocumentKind.objects.count(),
        NonDisclosureReason.objects.count(),
        Workflow.objects.count(),
        Page.objects.count(),
    )


def test_setup_loads_defaults_and_a_catalogue_idempotently(organisation, home_page):
    call_command("opengov_setup", organisation=organisation.name, verbosity=0)
    first = counts()
    assert first[0] == 21
    assert first[2] == 15
    assert [k.name for k in DocumentKind.objects.all()] == ["规章", "行政规范性文件", "其他文件"]
    root = CatalogueIndexPage.objects.get(slug="xxgk")
    sections = [p.title for p in root.get_children()]
    assert sections[:3] == ["政府信息公开指南", "机构信息", "法规文件"]
    documents = CatalogueIndexPage.objects.get(slug="documents")
    assert [p.title for p in documents.get_children()] == ["规章", "行政规范性文件", "其他文件"]
    assert GuidePage.objects.get().organisation == organisation
    workflow = Workflow.objects.get(name="政务公开三审")
    assert [t.name for t in workflow.tasks] == ["初审", "保密审查", "复审", "终审"]
    assert root.get_workflow() == workflow

    Topic.objects.filter(code="other").update(name="其他（已改名）")
    call_command("opengov_setup", organisation=organisation.name, verbosity=0)
    assert counts() == first
    assert Topic.objects.get(code="other").name == "其他（已改名）"


def test_setup_names_an_unknown_organisation_and_changes_nothing(db):
    import io

    from django.core.management.base import CommandError

    from opengov_cms.core.models import Topic

    out = io.StringIO()
    with pytest.raises(
        CommandError, match="No organisation named '不存在的局'; nothing was changed"
    ):
        call_command("opengov_setup", organisation="不存在的局", stdout=out)
    assert "taxonomies" not in out.getvalue()  # it said nothing it did not do
    assert not Topic.objects.exists()


def test_the_confidentiality_review_is_recorded_through_the_workflow(organisation, home_page):
    call_command("opengov_setup", organisation=organisation.name, verbosity=0)
    User = get_user_model()
    reviewer = User.objects.create_superuser("reviewer", "r@example.com", "pw")
    section = CatalogueIndexPage.objects.get(slug="rules")
    page = DisclosureEntryPage(title="待审查的规章", organisation=organisation)
    section.add_child(instance=page)
    revision = page.save_revision(user=reviewer)
    workflow_state = page.get_workflow().start(page, reviewer)
    comments = {"保密审查": "不涉及国家秘密，同意公开。"}
    for _ in range(4):
        task_state = workflow_state.current_task_state
        task = task_state.task.specific
        task.on_action(task_state, reviewer, "approve", comment=comments.get(task.name, ""))
        workflow_state.refresh_from_db()
    page.refresh_from_db()
    assert page.live
    review = ConfidentialityReview.objects.get(page=page)
    assert review.reviewer == reviewer
    assert review.comment == "不涉及国家秘密，同意公开。"
    assert review.revision == revision


def test_an_entry_created_in_the_admin_is_filed_in_its_year(organisation, section, admin_client):
    url = reverse(
        "wagtailadmin_pages:add", args=["opengov_catalogue", "disclosureentrypage", section.pk]
    )
    response = admin_client.post(
        url,
        {
            "title": "管理后台创建的通知",
            "slug": "admin-created",
            "organisation": organisation.pk,
            "document_number": "六文旅[2024]7号",
            "written_date": "2024-04-01",
            "disclosure_attribute": "proactive",
            "validity": "valid",
            "body": rich_text("<p>各有关单位：</p>"),
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = DisclosureEntryPage.objects.get(slug="admin-created")
    assert isinstance(page.get_parent().specific, CatalogueYearPage)
    assert page.get_parent().slug == str(page.publication_date.year)
    assert page.live and page.document_number == "六文旅〔2024〕7号" and page.index_number


def test_the_admin_form_reports_a_bad_document_number_in_chinese(
    organisation, section, admin_client
):
    url = reverse(
        "wagtailadmin_pages:add", args=["opengov_catalogue", "disclosureentrypage", section.pk]
    )
    response = admin_client.post(
        url,
        {
            "title": "文号有误的通知",
            "slug": "bad-number",
            "organisation": organisation.pk,
            "document_number": "第七号",
            "disclosure_attribute": "proactive",
            "validity": "valid",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 200
    assert "文号格式不正确" in response.content.decode()
    assert not DisclosureEntryPage.objects.filter(slug="bad-number").exists()


def test_the_entry_page_shows_the_metadata_table(publish_entry, client):
    page = publish_entry(title="关于印发实施方案的通知", document_number="六文旅〔2024〕3号")
    html = client.get(page.url).content.decode()
    for label in ("索引号", "主题分类", "发布机构", "成文日期", "文号", "发布日期", "有效性"):
        assert f'<th scope="row">{label}</th>' in html
    assert page.index_number in html and "六文旅〔2024〕3号" in html


def test_an_editor_can_have_the_index_number_given_before_publishing(
    organisation, section, admin_client
):
    url = reverse(
        "wagtailadmin_pages:add", args=["opengov_catalogue", "disclosureentrypage", section.pk]
    )
    response = admin_client.post(
        url,
        {
            "title": "先生成索引号的草稿",
            "slug": "draft-with-number",
            "organisation": organisation.pk,
            "disclosure_attribute": "proactive",
            "validity": "valid",
            "assign_index_number_now": "on",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    page = DisclosureEntryPage.objects.get(slug="draft-with-number")
    assert not page.live
    assert page.index_number.startswith("11341500MB1234567K/")
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert page.index_number in edit
    assert "保密审查记录" in edit
    assert "assign_index_number_now" not in edit


def test_only_users_with_the_permission_see_the_index_number_field(
    publish_entry, client, django_user_model
):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    page = publish_entry()
    editors = Group.objects.create(name="编辑")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=editors,
        page=page.get_parent(),
        permission=Permission.objects.get(codename="change_page"),
    )
    editor = django_user_model.objects.create_user("editor", password="pw")
    editor.groups.add(editors)
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="index_number"' not in html
    editors.permissions.add(Permission.objects.get(codename="edit_index_number"))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="index_number"' in html
