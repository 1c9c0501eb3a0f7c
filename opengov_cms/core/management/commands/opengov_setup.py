"""Load the default taxonomies and the review workflow, and optionally set up a department
(an organisation) in one step: its catalogue root with the default sections and guide, its
online application form, its groups with page and collection permissions on its own
subtree, and the review workflow on it. Running it again changes nothing that exists:
names an editor changed stay as they are, and a department is found again by its
organisation, whatever its catalogue's address."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from opengov_cms.core import defaults
from opengov_cms.core.defaults import CATALOGUE_SLUG
from opengov_cms.core.models import (
    ConfidentialityReviewTask,
    DocumentKind,
    Genre,
    NonDisclosureReason,
    Organisation,
    ReviewTask,
    Topic,
)

#: A department's two groups: editors add and change its pages (publishing goes through the
#: review workflow); its reviewers may also publish. Who of them acts for which
#: organisation is entered under 政务公开 → 机构人员.
EDITOR_GROUP = "{name}编辑"
REVIEWER_GROUP = "{name}审核"
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
REVIEWER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page")
COLLECTION_PERMISSIONS = (
    ("wagtaildocs", ("add_document", "change_document", "choose_document")),
    ("wagtailimages", ("add_image", "change_image", "choose_image")),
)
REQUEST_FORM_SLUG = "apply"
#: The heads of the departments' disclosure offices (政务公开办公室负责人) share one group:
#: it gives the 机构人员 (Membership) permissions, and whose staff a head manages follows
#: from their own membership (the organisation they head and those under it), not from
#: the group.
HEADS_GROUP = "政务公开办公室负责人"
HEADS_PERMISSIONS = ("add_membership", "change_membership", "delete_membership", "view_membership")


class Command(BaseCommand):
    help = (
        "Load default taxonomies and the 三审 review workflow; --organisation sets up a "
        "department: catalogue, guide, application form, groups, permissions, workflow."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation",
            help="Set up this organisation (its exact name) as a department of the site.",
        )
        parser.add_argument(
            "--parent",
            type=int,
            help="Page id to create the catalogue under (default: the default site's root page).",
        )
        parser.add_argument(
            "--slug",
            default=CATALOGUE_SLUG,
            help=f"The catalogue root's slug under the parent (default {CATALOGUE_SLUG}); each "
            "department under the same parent needs its own.",
        )
        parser.add_argument(
            "--no-request-form",
            action="store_true",
            help="Do not add an online application form (the site has one elsewhere).",
        )

    @transaction.atomic
    def handle(self, *args, organisation=None, parent=None, slug=CATALOGUE_SLUG, **options):
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
        existing_root = self.existing_root(org, parent_page) if org else None
        if org and existing_root is None:
            self.check_slug_free(org, parent_page, slug)
        created = self.load_taxonomies()
        workflow = self.load_workflow()
        self.stdout.write(f"taxonomies: {created} added; workflow: {workflow.name}")
        heads = self.heads_group()
        self.stdout.write(f"group: {heads.name}")
        if org:
            root = existing_root or self.catalogue_tree(org, parent_page, slug)
            WorkflowPage.objects.get_or_create(page=root, defaults={"workflow": workflow})
            self.stdout.write(f"catalogue: {root.url_path} (page {root.pk})")
            if not options.get("no_request_form"):
                form = self.request_form(org, root)
                if form is not None:
                    self.stdout.write(f"application form: {form.url_path} (page {form.pk})")
            for group in self.groups(org, root):
                self.stdout.write(f"group: {group.name}")

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
        """The one 三审 workflow of the site. Its steps go to the members of their groups who
        review for the page's organisation (ReviewTask, ConfidentialityReviewTask), so every
        department shares it and each reviews only its own."""
        workflow, made = Workflow.objects.get_or_create(name=defaults.REVIEW_WORKFLOW)
        if not made:
            return workflow
        admin_access = Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        for order, (kind, name, group_name) in enumerate(defaults.REVIEW_TASKS):
            group, _ = Group.objects.get_or_create(name=group_name)
            group.permissions.add(admin_access)
            model = ConfidentialityReviewTask if kind == "confidentiality" else ReviewTask
            task = model.objects.filter(name=name).first() or model.objects.create(name=name)
            task.groups.add(group)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        return workflow

    def heads_group(self):
        """The one group of the departments' heads (HEADS_GROUP), with the admin and the
        机构人员 permissions; permissions taken away from it by hand are given back."""
        group, _ = Group.objects.get_or_create(name=HEADS_GROUP)
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
            *Permission.objects.filter(
                content_type__app_label="opengov_core", codename__in=HEADS_PERMISSIONS
            ),
        )
        return group

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

    def existing_root(self, organisation, parent):
        from opengov_cms.catalogue.models import CatalogueIndexPage

        return (
            CatalogueIndexPage.objects.child_of(parent)
            .filter(organisation=organisation)
            .order_by("path")
            .first()
        )

    def check_slug_free(self, organisation, parent, slug):
        taken = parent.get_children().filter(slug=slug).first()
        if taken is not None:
            raise CommandError(
                f"The page {taken.url_path} is already there; nothing was changed. Give "
                f"{organisation.name!r} a catalogue of its own with --slug (for example "
                f"--slug dept{organisation.pk}), or another --parent."
            )

    def catalogue_tree(self, organisation, parent, slug):
        from opengov_cms.catalogue.models import CatalogueIndexPage, GuidePage

        main = slug == CATALOGUE_SLUG
        root = self.child(
            parent,
            CatalogueIndexPage,
            slug,
            "政府信息公开" if main else f"{organisation.name}政府信息公开",
            organisation=organisation,
            # The site's own catalogue is in the main navigation of the default base
            # template; the other departments' are reached from their own pages.
            show_in_menus=main,
        )
        self.child(root, GuidePage, "guide", "政府信息公开指南", organisation=organisation)
        for section_slug, title, children in defaults.CATALOGUE_SECTIONS:
            section = self.child(root, CatalogueIndexPage, section_slug, title)
            for child_slug, child_title in children:
                self.child(section, CatalogueIndexPage, child_slug, child_title)
        return root

    def request_form(self, organisation, root):
        """The organisation's online application form (依申请公开), under its catalogue,
        unless it has one already."""
        if not apps.is_installed("opengov_cms.disclosure_requests"):
            return None
        RequestFormPage = apps.get_model("opengov_requests", "RequestFormPage")
        if RequestFormPage.objects.filter(organisation=organisation).exists():
            return None
        return self.child(
            root,
            RequestFormPage,
            REQUEST_FORM_SLUG,
            "政府信息公开申请",
            organisation=organisation,
        )

    def groups(self, organisation, root):
        """The department's editors and reviewers, with permissions on its subtree and on a
        collection of its own for documents and images."""
        admin_access = Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        collection = self.collection(organisation.name)
        made = []
        for template, page_codenames in (
            (EDITOR_GROUP, EDITOR_PAGE_PERMISSIONS),
            (REVIEWER_GROUP, REVIEWER_PAGE_PERMISSIONS),
        ):
            group, _ = Group.objects.get_or_create(name=template.format(name=organisation.name))
            group.permissions.add(admin_access)
            for permission in Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=page_codenames
            ):
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root, permission=permission
                )
            for app_label, codenames in COLLECTION_PERMISSIONS:
                for permission in Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                ):
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=collection, permission=permission
                    )
            made.append(group)
        return made

    def collection(self, name):
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=name).first()
        return existing or root.add_child(name=name)

    def child(self, parent, model, slug, title, **fields):
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = model(title=title, slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
