"""Load the sandbox's demo content; running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction
from home.models import HomePage
from wagtail.models import Page, Site

from demo.seed import read_seed
from opengov_cms.core.models import Organisation
from opengov_cms.policies.models import ConsultationPage

HOME_SLUG = "home"
SEED_SLUG = "2019-disclosure-plan-consultation"
# A well-formed example code (its check character is right); not the bureau's real one.
DEMO_CREDIT_CODE = "11341500MB1234567K"


class Command(BaseCommand):
    help = "Load demo content: the bureau, the home page and the seed consultation."

    @transaction.atomic
    def handle(self, *args, **options):
        seed = read_seed()
        organisation, _ = Organisation.objects.get_or_create(
            name=seed.organisation,
            defaults={"short_name": "市文旅局", "credit_code": DEMO_CREDIT_CODE},
        )
        home = self.home_page()
        consultation = ConsultationPage.objects.filter(slug=SEED_SLUG).first()
        if consultation is None:
            consultation = ConsultationPage(
                title=seed.title,
                slug=SEED_SLUG,
                organisation=organisation,
                opens_at=seed.opens_at,
                closes_at=seed.closes_at,
                summary=seed.document_title,
                body=seed.body_html,
                results=seed.results_html,
            )
            home.add_child(instance=consultation)
            consultation.save_revision().publish()
            self.stdout.write(f"created {consultation.url_path}")
        self.stdout.write(self.style.SUCCESS("demo data loaded"))

    def home_page(self):
        home = HomePage.objects.filter(slug=HOME_SLUG).first()
        if home is not None:
            return home
        root = Page.get_first_root_node()
        # Replace the placeholder page Wagtail's first migration creates.
        placeholder = root.get_children().filter(slug=HOME_SLUG).first()
        if placeholder is not None:
            placeholder.slug = "wagtail-welcome"
            placeholder.save(update_fields=["slug"])
        home = HomePage(
            title="六安市文化和旅游局 政府信息公开",
            slug=HOME_SLUG,
            intro="<p>本站依据《中华人民共和国政府信息公开条例》公开政府信息。</p>",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="六安市文化和旅游局",
            )
        else:
            site.root_page = home
            site.save(update_fields=["root_page"])
        if placeholder is not None:
            placeholder.delete()
        return home
