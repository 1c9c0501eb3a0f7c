"""Factories for catalogue pages and taxonomies."""

import datetime

import factory
import wagtail_factories

from opengov_cms.catalogue.models import CatalogueIndexPage, DisclosureEntryPage
from opengov_cms.core.models import Genre, Topic
from tests.factories import OrganisationFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"主题{n}")
    code = factory.Sequence(lambda n: f"topic-{n}")


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"文种{n}")
    code = factory.Sequence(lambda n: f"genre-{n}")


class CatalogueIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CatalogueIndexPage

    title = factory.Sequence(lambda n: f"栏目{n}")
    organisation = factory.SubFactory(OrganisationFactory)


class DisclosureEntryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = DisclosureEntryPage

    title = factory.Sequence(lambda n: f"关于做好政务公开工作的通知（{n}）")
    organisation = factory.SubFactory(OrganisationFactory)
    publication_date = None
    written_date = factory.LazyAttribute(lambda o: o.publication_date or datetime.date(2024, 3, 1))
    summary = "政务公开工作安排。"
    body = "<p>各有关单位：现将有关事项通知如下。</p>"
