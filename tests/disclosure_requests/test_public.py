import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opengov_cms.disclosure_requests.choices import DocumentKind, State
from opengov_cms.disclosure_requests.forms import make_form_token
from opengov_cms.disclosure_requests.models import DisclosureRequest, RequestDocument
from opengov_cms.disclosure_requests.workflow import perform
from tests.clock import DECEMBER_FRIDAY, UNKNOWN_YEAR
from tests.disclosure_requests.factories import RESIDENT_ID, DisclosureRequestFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def application(**overrides):
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "张三丰",
        "id_document_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "安徽省六安市金安区梅山南路1号",
        "postcode": "237000",
        "description": "2023年本局行政事业性收费项目清单",
        "provision_form": "electronic",
        "delivery_method": "email",
        "website": "",
        "form_token": make_form_token(),
    }
    data.update(overrides)
    return data


def form_action(client, page):
    """Where a browser sends the form: the action of the form on the page."""
    html = client.get(page.url).content.decode()
    return re.search(r'<form method="post" action="([^"]+)" enctype', html).group(1)


def test_the_form_page_renders_accessibly(client, form_page):
    response = client.get(form_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "请如实填写" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_description">' in html
    assert 'aria-describedby="id_description-help"' in html
    assert 'name="form_token"' in html


def test_submitting_creates_one_request_and_shows_the_code(
    client, form_page, django_capture_on_commit_callbacks
):
    action = form_action(client, form_page)
    # Taken by the page's id, not routed through the page tree.
    assert action == reverse("opengov_requests:apply", args=[form_page.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, application())
    assert response.status_code == 302
    assert response["Location"] == form_page.url + "?submitted=1"
    request = DisclosureRequest.objects.get()
    assert request.channel == "online"
    assert request.received_on == timezone.localdate()
    assert request.organisation == form_page.organisation
    assert request.state == State.RECEIVED
    assert request.due_date is not None
    page = client.get(response["Location"]).content.decode()
    assert request.tracking_number in page
    code = re.search(r"查询码</th><td><strong>(\w+)</strong>", page).group(1)
    assert request.check_query_code(code)
    assert "张三" not in page
    assert len(mail.outbox) == 1
    assert code in mail.outbox[0].body
    assert mail.outbox[0].to == ["zhangsan@example.com"]


def test_double_submit_creates_one_request(client, form_page, django_capture_on_commit_callbacks):
    data = application()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(form_page.url, data)
        second = client.post(form_page.url, data)
    assert first.status_code == second.status_code == 302
    assert DisclosureRequest.objects.count() == 1
    assert len(mail.outbox) == 1


def test_mistakes_sent_to_the_forms_address_come_back_on_the_form(client, form_page):
    action = form_action(client, form_page)
    response = client.post(action, application(phone="123"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "11位手机号码" in html
    assert f'action="{action}"' in html
    assert 'value="张三丰"' in html  # what was typed is kept
    assert not DisclosureRequest.objects.exists()


def test_the_forms_address_is_only_for_published_form_pages(client, form_page, home_page):
    action = reverse("opengov_requests:apply", args=[form_page.pk])
    response = client.get(action)
    assert response.status_code == 302
    assert response["Location"] == form_page.url
    assert client.post(reverse("opengov_requests:apply", args=[home_page.pk])).status_code == 404
    assert client.post(reverse("opengov_requests:apply", args=[987654])).status_code == 404
    assert client.post(reverse("opengov_requests:apply", args=[10**20])).status_code == 404
    form_page.unpublish()
    assert client.post(action, application()).status_code == 404
    assert not DisclosureRequest.objects.exists()


def test_a_restricted_form_page_keeps_its_restriction_at_the_forms_address(client, form_page):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=form_page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = client.post(reverse("opengov_requests:apply", args=[form_page.pk]), application())
    assert not DisclosureRequest.objects.exists()
    assert 'name="password"' in response.content.decode()


def test_the_confirmation_without_a_submission_goes_back_to_the_form(client, form_page):
    response = client.get(form_page.url + "?submitted=1")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "校验码不正确"),
        ({"applicant_name": ""}, "applicant_name", "请填写此项"),
        ({"phone": "123"}, "phone", "11位手机号码"),
        ({"email": "not-an-email"}, "email", "有效的电子邮箱"),
        ({"postcode": "12"}, "postcode", "6位数字"),
        ({"description": ""}, "description", "请填写此项"),
        ({"description": "长" * 6000}, "description", "内容过长"),
        ({"provision_form": "carrier-pigeon"}, "provision_form", "请从列表中选择"),
        (
            {"applicant_type": "organisation", "credit_code": "91350100M000100Y44"},
            "credit_code",
            "最后一位应为3",
        ),
        ({"applicant_type": "organisation"}, "organisation_name", "请填写此项"),
        ({"delivery_method": "post", "address": ""}, "address", "邮寄"),
        ({"form_token": "forged"}, "form_token", "表单已失效"),
    ],
)
def test_bad_input_gets_chinese_errors_tied_to_the_field(
    client, form_page, overrides, field, message
):
    response = client.post(form_page.url, application(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if field != "form_token":
        assert f'id="id_{field}-errors"' in html
        assert re.search(rf'aria-describedby="[^"]*id_{field}-errors', html)
    assert not DisclosureRequest.objects.exists()


def test_an_organisation_applicant(client, form_page):
    data = application(
        applicant_type="organisation",
        organisation_subtype="legal_services",
        organisation_name="某某律师事务所",
        credit_code="91350100M000100Y43",
        legal_representative="王五",
        contact_name="赵六",
    )
    assert client.post(form_page.url, data).status_code == 302
    request = DisclosureRequest.objects.get()
    assert request.organisation_subtype == "legal_services"
    assert request.applicant_name == ""  # the natural-person fields are dropped
    assert request.id_number == ""


def test_the_honeypot_refuses(client, form_page):
    response = client.post(form_page.url, application(website="http://spam.example"))
    assert response.status_code == 400
    assert not DisclosureRequest.objects.exists()


def test_no_csrf_no_request(form_page):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(form_page.url, application())
    assert response.status_code == 403
    assert not DisclosureRequest.objects.exists()


def address(client, form_page, where):
    """The page's own URL, or the form's action (the package's address for the page)."""
    return form_page.url if where == "page" else form_action(client, form_page)


@pytest.mark.parametrize("where", ["page", "action"])
def test_submissions_are_rate_limited_per_client(client, form_page, settings, where):
    settings.OPENGOV_CMS_REQUESTS_SUBMIT_RATE = (2, 3600)
    url = address(client, form_page, where)
    assert client.post(url, application()).status_code == 302
    assert client.post(url, application()).status_code == 302
    response = client.post(url, application())
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    # The form shown again, valid as it is, still ties its help texts to its inputs.
    assert 'aria-describedby="id_description-help"' in response.content.decode()
    assert DisclosureRequest.objects.count() == 2
    other = client.post(url, application(), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_attachments_are_checked_and_stored_under_random_names(client, form_page, settings):
    upload = SimpleUploadedFile("张三丰身份证.pdf", PDF, content_type="application/pdf")
    assert client.post(form_page.url, {**application(), "attachments": upload}).status_code == 302
    document = RequestDocument.objects.get()
    assert document.kind == DocumentKind.APPLICATION
    assert document.content_type == "application/pdf"
    assert "张三" not in document.file.name
    assert re.fullmatch(r"opengov_requests/[0-9a-f]{32}\.pdf", document.file.name)
    assert document.original_name == "张三丰身份证.pdf"


def test_attachments_of_the_wrong_type_or_size_are_refused(client, form_page, settings):
    fake = SimpleUploadedFile("x.pdf", b"<html><script>", content_type="application/pdf")
    response = client.post(form_page.url, {**application(), "attachments": fake})
    assert response.status_code == 400
    assert "格式不受支持" in response.content.decode()
    settings.OPENGOV_CMS_REQUESTS_UPLOAD_MAX_SIZE = 10
    big = SimpleUploadedFile("big.pdf", PDF, content_type="application/pdf")
    response = client.post(form_page.url, {**application(), "attachments": big})
    assert "请压缩后重新上传" in response.content.decode()
    assert not DisclosureRequest.objects.exists()


# The status page ----------------------------------------------------------------------


def lookup(client, number, code, **extra):
    return client.post(
        reverse("opengov_requests:status"),
        {"tracking_number": number, "query_code": code},
        **extra,
    )


def test_status_shows_progress_but_no_personal_data(client):
    request = DisclosureRequestFactory()
    perform(request, "accept")
    response = lookup(client, request.tracking_number, request.query_code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "办理中" in html
    assert request.tracking_number in html
    assert html.count("<h1") == 1
    for secret in ("张三", "13812345678", "zhangsan", RESIDENT_ID, "梅山", "行政事业性收费"):
        assert secret not in html


def test_a_wrong_code_answers_like_an_unknown_number(client):
    request = DisclosureRequestFactory()
    wrong = lookup(client, request.tracking_number, "WRONGCODE2")
    unknown = lookup(client, "NO-SUCH-NUMBER", "WRONGCODE2")
    assert wrong.status_code == unknown.status_code == 404

    def page(response):
        html = response.content.decode()
        html = html.replace("NO-SUCH-NUMBER", "").replace(request.tracking_number, "")
        return re.sub(r'value="[^"]*"', "", html)

    assert page(wrong) == page(unknown)


def test_the_status_form_survives_junk(client):
    assert client.get(reverse("opengov_requests:status")).status_code == 200
    assert lookup(client, "x" * 100000, "y" * 100000).status_code == 400
    assert lookup(client, "", "").status_code == 400
    assert lookup(client, "\x00", "x").status_code == 400
    assert lookup(client, "1' OR '1'='1", "'; DROP TABLE x;--").status_code == 404


def test_lookups_are_rate_limited(client, settings):
    settings.OPENGOV_CMS_REQUESTS_LOOKUP_RATE = (3, 600)
    request = DisclosureRequestFactory()
    for _ in range(3):
        lookup(client, request.tracking_number, "WRONGCODE3")
    response = lookup(client, request.tracking_number, request.query_code)
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()


def test_reply_documents_are_downloadable_after_a_lookup_only(client):
    request = DisclosureRequestFactory()
    document = RequestDocument.objects.create(
        request=request,
        kind=DocumentKind.REPLY,
        title="答复告知书",
        content_type="application/pdf",
        file=SimpleUploadedFile("reply.pdf", PDF),
        public=True,
    )
    url = reverse("opengov_requests:document", args=[document.pk])
    assert client.get(url).status_code == 404
    html = lookup(client, request.tracking_number, request.query_code).content.decode()
    assert url in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    assert client.get(reverse("opengov_requests:document", args=[999999])).status_code == 404


@pytest.mark.parametrize("where", ["page", "action"])
def test_mistakes_do_not_count_against_the_rate_limit(client, form_page, settings, where):
    settings.OPENGOV_CMS_REQUESTS_SUBMIT_RATE = (1, 3600)
    url = address(client, form_page, where)
    for _ in range(3):
        assert client.post(url, application(phone="1")).status_code == 400
    # Nor does asking for suggestions.
    assert client.post(url, {**application(), "action-suggest": "1"}).status_code == 200
    assert client.post(url, application()).status_code == 302
    assert client.post(url, application()).status_code == 429


def test_the_form_is_never_cached(client, form_page):
    assert "no-store" in client.get(form_page.url)["Cache-Control"]


def test_a_failing_mail_server_does_not_fail_the_submission(
    client, form_page, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"zhangsan@example.com": (550, b"no")})

    monkeypatch.setattr("opengov_cms.disclosure_requests.notifications.send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_page.url, application())
    assert response.status_code == 302
    assert DisclosureRequest.objects.count() == 1
    assert "SMTPRecipientsRefused" in caplog.text
    assert "zhangsan" not in caplog.text


@pytest.mark.now(DECEMBER_FRIDAY)
def test_an_application_is_accepted_before_next_years_holidays_are_known_and_told_its_due_date(
    client, form_page, admin_client, django_capture_on_commit_callbacks
):
    """Received in late December when next year's schedule is not out: the applicant is not
    turned away, staff see the pending due date, and entering the year computes it and tells
    the applicant."""
    from opengov_cms.core.holidays import statutory_holidays
    from opengov_cms.core.models import HolidayCalendar
    from tests.core.test_holidays import inline, snippet_url

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_page.url, application(), follow=True)
    assert "具体日期另行告知" in response.content.decode()
    request = DisclosureRequest.objects.get()
    assert request.received_on == DECEMBER_FRIDAY and request.due_date is None
    receipt = mail.outbox[-1].body
    query_code = re.search(r"查询码[：:]\s*(\S+)", receipt).group(1)
    mail.outbox.clear()

    inbox = admin_client.get(reverse("opengov_requests_admin:index") + "?due=pending")
    assert request.tracking_number in inbox.content.decode()
    assert f"尚无{UNKNOWN_YEAR}年的节假日安排" in inbox.content.decode()
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "答复期限跨入尚未录入节假日安排的年份、期限待定的申请：1件" in home

    days = [(d.date, False, d.name) for d in statutory_holidays(UNKNOWN_YEAR)]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            snippet_url("add"), {"year": str(UNKNOWN_YEAR), "notice": "通知", **inline(days)}
        )
    assert response.status_code == 302
    assert HolidayCalendar.objects.filter(year=UNKNOWN_YEAR).exists()
    request.refresh_from_db()
    day, counted = DECEMBER_FRIDAY, 0
    off = {d.date for d in statutory_holidays(UNKNOWN_YEAR)}
    while counted < 20:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            counted += 1
    assert request.due_date == day
    event = request.events.get(action="due_date_set")
    assert event.due_date == day and str(event.label) == "答复期限确定"
    (email,) = mail.outbox
    assert email.to == ["zhangsan@example.com"]
    assert f"答复期限：{day:%Y-%m-%d}" in email.body
    # The applicant's status page shows it too, and nothing of the applicant.
    status = client.post(
        reverse("opengov_requests:status"),
        {"tracking_number": request.tracking_number, "query_code": query_code},
    ).content.decode()
    assert f"{day:%Y-%m-%d}" in status and "答复期限确定" in status
    assert "张三丰" not in status
    # Entering the year again changes nothing and tells no one twice.
    from opengov_cms.disclosure_requests.workflow import refresh_due_dates

    assert refresh_due_dates() == 0
    assert len(mail.outbox) == 1


def test_the_optional_challenge_question(client, form_page, settings):
    from opengov_cms.disclosure_requests.forms import new_challenge

    settings.OPENGOV_CMS_REQUESTS_CHALLENGE = True
    html = client.get(form_page.url).content.decode()
    assert "验证问题：" in html and 'name="challenge_answer"' in html
    (a, b), token = new_challenge()
    wrong = client.post(form_page.url, application(challenge=token, challenge_answer=a + b + 1))
    assert wrong.status_code == 400
    assert "验证问题的答案不正确" in wrong.content.decode()
    missing = client.post(form_page.url, application(challenge=token))
    assert "请回答验证问题" in missing.content.decode()
    forged = client.post(form_page.url, application(challenge="1:2", challenge_answer=3))
    assert "验证问题已过期" in forged.content.decode()
    assert not DisclosureRequest.objects.exists()
    right = client.post(form_page.url, application(challenge=token, challenge_answer=a + b))
    assert right.status_code == 302
    assert DisclosureRequest.objects.count() == 1


def test_without_the_setting_there_is_no_question(client, form_page):
    assert "验证问题" not in client.get(form_page.url).content.decode()
    assert client.post(form_page.url, application()).status_code == 302
