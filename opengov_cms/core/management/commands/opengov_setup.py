"""Load the default taxonomies and the review workflow, and optionally a catalogue tree for
an organisation. Running it again changes nothing that exists: names an editor changed
stay as they are."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import GroupApprovalTask, Page, Site, Workflow, WorkflowPage, WorkflowTask

from opengov_cms.core import defaults
from opengov_cms.core.defaults import CATALOGUE_SLUG
from opengov_cms.core.models import (
    ConfidentialityReviewTask,
    DocumentKind,
    Genre,
    NonDisclosureReason,
    Organisation,
    Topic,
)


class Command(BaseCommand):
    help = "Load default taxonomies and the 三审 review workflow; --organisation adds a catalogue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation",
            help="Create the default catalogue tree for this organisation (its exact name).",
        )
        parser.add_argument(
            "--parent",
            type=int,
            help="Page id to create the catalogue under (default: the default site's root page).",
        )

    @transaction.atomic
    def handle(self, *args, organisation=None, parent=None, **options):
        # Everything that can be refused is checked before anything is written.
        org = None
        if organisation:
            org = Organisation.objects.filter(name=organisation).first()
            if org is None:
                known = ", ".join(Organisation.objects.values_list("name", flat=True)[:10])
                raise CommandError(
                    f"No organisation named {organisation!r}; nothing was changed. Add it in the "
                    "admin under 政务公开 → 机构 first, then run this again"
                    + (f" (organisations so far: {known})." if known else ".")
                )
        parent_page = self.parent_page(parent) if org else None
        created = self.load_taxonomies()
        workflow = self.load_workflow()
        self.stdout.write(f"taxonomies: {created} added; workflow: {workflow.name}")
        if org:
            root = self.catalogue_tree(org, parent_page)
            WorkflowPage.objects.get_or_create(page=root, defaults={"workflow": workflow})
            self.stdout.write(f"catalogue: {root.url_path} (page {root.pk})")

    def load_taxonomies(self):
        created = 0
        for order, (code, name, children) in enumerate(defaults.TOPICS):
            topic, made = Topic.objects.get_or_create(
                code=code, defaults={"name": name, "sort_order": order}
            )
            created += made
            for child_order, child in enumerate(children):
                _, made = Topic.objects.get_or_create(
                    code=f"{code}-{child_order + 1:02d}",
                    defaults={"name": child, "parent": topic, "sort_order": child_order},
                )
                created += made
        for model, rows in ((Genre, defaults.GENRES), (DocumentKind, defaults.DOCUMENT_KINDS)):
            for order, (code, name) in enumerate(rows):
                _, made = model.objects.get_or_create(
                    code=code, defaults={"name": name, "sort_order": order}
                )
                created += made
        for order, (code, name, article) in enumerate(defaults.NON_DISCLOSURE_REASONS):
            _, made = NonDisclosureReason.objects.get_or_create(
                code=code, defaults={"name": name, "article": article, "sort_order": order}
            )
            created += made
        return created

    def load_workflow(self):
        workflow, made = Workflow.objects.get_or_create(name=defaults.REVIEW_WORKFLOW)
        if not made:
            return workflow
        admin_access = Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        for order, (kind, name, group_name) in enumerate(defaults.REVIEW_TASKS):
            group, _ = Group.objects.get_or_create(name=group_name)
            group.permissions.add(admin_access)
            model = ConfidentialityReviewTask if kind == "confidentiality" else GroupApprovalTask
            task = model.objects.filter(name=name).first() or model.objects.create(name=name)
            task.groups.add(group)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        return workflow

    def parent_page(self, page_id):
        if page_id is not None:
            page = Page.objects.filter(pk=page_id).first()
            if page is None:
                raise CommandError(f"No page with id {page_id}.")
            return page
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("No default site: give --parent with a page id.")
        return site.root_page

    def catalogue_tree(self, organisation, parent):
        from opengov_cms.catalogue.models import CatalogueIndexPage, GuidePage

        root = self.child(
            parent,
            CatalogueIndexPage,
            CATALOGUE_SLUG,
            "政府信息公开",
            organisation=organisation,
            show_in_menus=True,  # in the main navigation of the default base template
        )
        self.child(root, GuidePage, "guide", "政府信息公开指南", organisation=organisation)
        for slug, title, children in defaults.CATALOGUE_SECTIONS:
            section = self.child(root, CatalogueIndexPage, slug, title)
            for child_slug, child_title in children:
                self.child(section, CatalogueIndexPage, child_slug, child_title)
        return root

    def child(self, parent, model, slug, title, **fields):
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = model(title=title, slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
