"""Demo pages that take the public's input: the online application form and a consultation
open now. Run after load_demo_data; running it again changes nothing while the consultation
is open, and opens it again once it has closed."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from home.models import HomePage

from demo.management.commands.load_demo_data import HOME_SLUG
from demo.seed import read_seed
from opengov_cms.core.models import Organisation
from opengov_cms.disclosure_requests.models import RequestFormPage
from opengov_cms.policies.models import ConsultationPage

FORM_SLUG = "apply"
CONSULTATION_SLUG = "disclosure-rules-revision-consultation"
CONSULTATION_DAYS = 30


class Command(BaseCommand):
    help = "Add the online application form and a consultation open for comment now."

    @transaction.atomic
    def handle(self, *args, **options):
        home = HomePage.objects.filter(slug=HOME_SLUG).first()
        organisation = Organisation.objects.filter(name=read_seed().organisation).first()
        if home is None or organisation is None:
            raise CommandError("Run load_demo_data first.")
        self.request_form(home, organisation)
        self.open_consultation(home, organisation)
        self.stdout.write(self.style.SUCCESS("demo forms loaded"))

    def request_form(self, home, organisation):
        if RequestFormPage.objects.filter(slug=FORM_SLUG).exists():
            return
        page = RequestFormPage(
            title="政府信息公开申请",
            slug=FORM_SLUG,
            show_in_menus=True,
            organisation=organisation,
            intro=(
                "<p>依据《中华人民共和国政府信息公开条例》第二十九条，申请人可以通过本表向"
                "六安市文化和旅游局申请获取政府信息。本局收到申请后，能够当场答复的当场答复；"
                "不能当场答复的，自收到申请之日起20个工作日内予以答复。</p>"
            ),
            confirmation_text="<p>如有疑问，请在工作日致电 0564-3370000。</p>",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        self.stdout.write(f"created {page.url_path}")

    def open_consultation(self, home, organisation):
        now = timezone.now()
        page = ConsultationPage.objects.filter(slug=CONSULTATION_SLUG).first()
        if page is not None and page.opens_at <= now < page.closes_at:
            return
        created = page is None
        if created:
            page = ConsultationPage(
                title="《六安市文化和旅游局政务公开工作制度（修订征求意见稿）》公开征求意见",
                slug=CONSULTATION_SLUG,
                organisation=organisation,
                summary="修订政务公开工作制度，增加政策解读、回应关切和适老化、无障碍服务的要求。",
                body=(
                    "<p>第一条 为规范本局政务公开工作，依据《中华人民共和国政府信息公开条例》，"
                    "制定本制度。</p><p>第二条 本局政府信息以公开为常态、不公开为例外。</p>"
                    "<p>第三条 本局网站提供关怀版，便于老年人和有阅读障碍的群众获取政府信息。</p>"
                ),
                drafting_explanation=(
                    "<p>为落实《互联网网站适老化通用设计规范》，方便群众获取政府信息，"
                    "本局对2019年制定的政务公开工作制度进行了修订。</p>"
                ),
                opens_at=now - datetime.timedelta(days=1),
                closes_at=now + datetime.timedelta(days=CONSULTATION_DAYS),
            )
            home.add_child(instance=page)
        else:
            page.opens_at = now - datetime.timedelta(days=1)
            page.closes_at = now + datetime.timedelta(days=CONSULTATION_DAYS)
        page.save_revision().publish()
        self.stdout.write(f"{'created' if created else 'reopened'} {page.url_path}")
