"""Policy documents, interpretations and 三同步, through the paths editors use."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents.models import Document

from opengov_cms.core.models import Validity
from opengov_cms.policies.models import (
    HeldPublication,
    PolicyAttachment,
)
from opengov_cms.policies.tasks import expire_policy_documents


def test_policy_and_interpretation_link_both_ways(make_policy, make_interpretation, client):
    policy = make_policy()
    other = make_policy(title="六安市旅游市场管理办法")
    interpretation = make_interpretation(policy, other)
    policy_html = client.get(policy.url).content.decode()
    assert interpretation.title in policy_html and "政策解读" in policy_html
    html = client.get(interpretation.url).content.decode()
    # The documents in the order the editor gave them.
    assert html.index(policy.title) < html.index(other.title)
    assert "版本记录" in policy_html


def test_a_policy_that_is_no_longer_valid_says_so_and_links_its_successor(make_policy, client):
    new = make_policy(title="新办法")
    old = make_policy(
        title="旧办法",
        validity=Validity.REPEALED,
        repealed_by=new,
        validity_date=datetime.date(2024, 6, 1),
    )
    html = client.get(old.url).content.decode()
    assert "本文件已废止" in html and f'href="{new.url}"' in html


def test_a_successor_that_is_not_public_is_not_named(make_policy, client):
    draft = make_policy(title="尚未发布的新办法")
    link = draft.url
    draft.unpublish()
    old = make_policy(
        title="旧办法",
        validity=Validity.AMENDED,
        amended_by=draft,
        validity_date=datetime.date(2024, 6, 1),
    )
    html = client.get(old.url).content.decode()
    # The notice still says what happened, without the draft's title or a dead link.
    assert "本文件已修改" in html
    assert "尚未发布的新办法" not in html and f'href="{link}"' not in html
    draft.save_revision().publish()
    html = client.get(old.url).content.decode()
    assert "本文件已被修改" in html and f'href="{link}"' in html


def test_amended_and_repealed_need_their_links(make_policy):
    page = make_policy()
    page.validity = Validity.REPEALED
    page.validity_date = datetime.date(2024, 6, 1)
    with pytest.raises(ValidationError, match="请选择废止它的文件"):
        page.full_clean()


def test_expiry_turns_validity_to_expired_once(make_policy, home_page, client):
    page = make_policy(
        expiry_date=timezone.localdate() - datetime.timedelta(days=1),
        effective_date=datetime.date(2024, 3, 1),
    )
    alias = page.create_alias(parent=home_page, update_slug="shown-elsewhere")
    assert expire_policy_documents() == 1
    assert expire_policy_documents() == 0
    page.refresh_from_db()
    assert page.validity == Validity.EXPIRED and page.validity_date == page.expiry_date
    assert "本文件已失效" in client.get(page.url).content.decode()
    # The alias follows its source.
    assert "本文件已失效" in client.get(alias.url).content.decode()


def test_only_pdf_docx_or_ofd_are_accepted_as_the_original(make_policy):
    page = make_policy()
    document = Document(title="原文")
    document.file.save("original.exe", ContentFile(b"MZ"), save=True)
    attachment = PolicyAttachment(page=page, document=document)
    with pytest.raises(ValidationError, match="只能是 PDF、DOCX 或 OFD"):
        attachment.full_clean()


class TestSynchronisedPublication:
    """三同步."""

    def test_a_policy_needing_interpretation_waits_for_one(self, make_policy, make_interpretation):
        policy = make_policy(needs_interpretation=True)
        assert not policy.live
        assert HeldPublication.objects.filter(page_id=policy.pk).exists()
        interpretation = make_interpretation(policy)
        policy.refresh_from_db()
        assert policy.live and interpretation.live
        assert not HeldPublication.objects.exists()

    def test_an_interpretation_approved_first_waits_for_its_policy(
        self, make_policy, make_interpretation
    ):
        policy = make_policy(needs_interpretation=True, publish=False)
        interpretation = make_interpretation(policy)
        assert not interpretation.live
        policy.get_latest_revision().publish()
        policy.refresh_from_db()
        interpretation.refresh_from_db()
        assert policy.live and interpretation.live

    def test_a_scheduled_policy_schedules_its_interpretations(
        self, make_policy, make_interpretation
    ):
        policy = make_policy(needs_interpretation=True, publish=False)
        interpretation = make_interpretation(policy)
        policy.go_live_at = timezone.now() + datetime.timedelta(seconds=2)
        policy.save_revision().publish()
        policy.refresh_from_db()
        interpretation.refresh_from_db()
        assert not policy.live and not interpretation.live
        assert interpretation.latest_revision.approved_go_live_at == policy.go_live_at
        time.sleep(2.2)
        call_command("publish_scheduled")
        policy.refresh_from_db()
        interpretation.refresh_from_db()
        assert policy.live and interpretation.live

    def test_workflow_approval_is_held_too(
        self, make_policy, make_interpretation, organisation, django_user_model
    ):
        call_command("opengov_setup", verbosity=0)
        from wagtail.models import Workflow

        reviewer = django_user_model.objects.create_superuser("r", "r@example.com", "pw")
        policy = make_policy(needs_interpretation=True, publish=False)
        workflow_state = Workflow.objects.get(name="政务公开三审").start(policy, reviewer)
        for _ in range(4):
            task_state = workflow_state.current_task_state
            task_state.task.specific.on_action(task_state, reviewer, "approve")
            workflow_state.refresh_from_db()
        policy.refresh_from_db()
        assert not policy.live and HeldPublication.objects.filter(page_id=policy.pk).exists()
        make_interpretation(policy)
        policy.refresh_from_db()
        assert policy.live

    def test_the_rule_can_be_switched_off(self, make_policy, settings):
        settings.OPENGOV_CMS_SYNCHRONISED_INTERPRETATION = False
        assert make_policy(needs_interpretation=True).live

    def test_policies_without_the_flag_publish_at_once(self, make_policy):
        assert make_policy().live
