"""The public pages of policy documents and interpretations: what they link to, and a
number of queries that does not grow with what they hold."""

from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from opengov_cms.policies.models import PolicyAttachment

# Site, section (child + specific), the pages on the path, the page with its metadata,
# its original files, Wagtail's two view-restriction reads, then the interpretations
# (restrictions included) and the publication history.
POLICY_QUERIES = 10
# As above, with the documents interpreted instead of the last three.
INTERPRETATION_QUERIES = 8


def test_policy_page_costs_the_same_whatever_it_links_to(
    make_policy, make_interpretation, client, settings, django_assert_max_num_queries
):
    settings.WAGTAILDOCS_SERVE_METHOD = "direct"
    policy = make_policy()
    first = make_interpretation(policy, title="一图读懂《六安市文化市场管理办法》")
    client.get(policy.url)
    with django_assert_max_num_queries(POLICY_QUERIES):
        html = client.get(policy.url).content.decode()
    assert first.title in html and "版本记录" in html

    make_interpretation(policy, title="专家解读《六安市文化市场管理办法》")
    for name in ("原文.pdf", "附表.docx"):
        document = Document(title=name)
        document.file.save(name, ContentFile(b"%PDF-1.4"), save=True)
        PolicyAttachment.objects.create(page=policy, document=document)
    policy.save_revision().publish()
    with django_assert_max_num_queries(POLICY_QUERIES):
        html = client.get(policy.url).content.decode()
    assert "专家解读" in html and "原文.pdf" in html and "附表.docx" in html
    assert html.count("<time datetime=") >= 2  # both publications in the history


def test_an_interpretation_under_a_view_restriction_is_not_listed(
    make_policy, make_interpretation, client
):
    policy = make_policy()
    public = make_interpretation(policy, title="公开的解读")
    private = make_interpretation(policy, title="内部的解读")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    html = client.get(policy.url).content.decode()
    assert public.title in html and private.title not in html


def test_interpretation_page_lists_its_documents_in_constant_queries(
    make_policy, make_interpretation, client, django_assert_max_num_queries
):
    documents = [make_policy(title=f"六安市第{n}号管理办法") for n in range(1, 4)]
    interpretation = make_interpretation(*documents)
    client.get(interpretation.url)
    with django_assert_max_num_queries(INTERPRETATION_QUERIES):
        html = client.get(interpretation.url).content.decode()
    positions = [html.index(f'href="{d.url}"') for d in documents]
    assert positions == sorted(positions)
    assert "六安市文化和旅游局" in html
