"""How the database backend and the editors' index write: a fixed number of statements per
batch, the same answers from every write path, and text made the way Django and Wagtail make
it."""

import random
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags as django_strip_tags
from wagtail.rich_text import get_text_for_indexing

from opengov_cms.search import admin_index, analysis
from opengov_cms.search.backends import database
from opengov_cms.search.backends.database import BATCH_SIZE, DatabaseSearchBackend


def document(n, **fields):
    return {
        "id": f"page:{n}",
        "title": f"关于第{n}批非物质文化遗产代表性项目的通知",
        "summary": "保护和传承优秀传统文化。",
        "body": "<p>各县区文化和旅游局：</p><p>现将名录予以公布，请认真做好保护工作。</p>",
        "organisation": "市文化和旅游局",
        "organisation_id": "1",
        "year": 2024,
        "validity": "valid",
        "content_type": "opengov_catalogue.disclosureentrypage",
        "date": "2024-05-01",
        **fields,
    }


def index_queries(backend, documents):
    with CaptureQueriesContext(connection) as context:
        backend.index(documents)
    return len(context.captured_queries)


@pytest.mark.django_db
def test_indexing_a_batch_costs_the_same_statements_for_3_or_300_documents():
    backend = DatabaseSearchBackend()
    analysis.segment("预热")  # jieba reads the site's terms once per process, not per batch
    few = index_queries(backend, [document(n) for n in range(3)])
    many = index_queries(backend, [document(n) for n in range(100, 400)])
    # Replacing documents already there costs no more than adding them.
    again = index_queries(backend, [document(n, title="重新发布的通知") for n in range(100, 400)])

    assert few == many == again
    if connection.vendor == "postgresql":
        # The row and its tsvector in one INSERT … ON CONFLICT, inside the transaction.
        assert many <= 3
    assert backend.count() == 303
    results = backend.search("重新发布")
    assert results.total == 300
    assert "page:1" in backend.search("非物质文化遗产").ids


@pytest.mark.django_db
def test_a_rebuild_given_the_same_document_twice_keeps_the_last_version():
    backend = DatabaseSearchBackend()
    documents = [document(n) for n in range(BATCH_SIZE + 20)]
    # The repeat comes in a later batch than the first version.
    documents.append(document(7, title="关于第7批名录的更正通知"))

    assert backend.rebuild(iter(documents)) == len(documents)

    assert backend.count() == BATCH_SIZE + 20
    assert backend.search("更正通知").ids == ["page:7"]
    assert backend.search("非物质文化遗产").total == BATCH_SIZE + 19


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the streamed rebuild is PostgreSQL's (run with DATABASE_URL=postgres://…)")


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_outside_a_transaction_streams_while_readers_see_the_old_index():
    postgresql_only()
    backend = DatabaseSearchBackend()
    backend.index([document(n, title="旧的通知") for n in range(5)])
    seen_while_running = []

    def documents():
        for n in range(BATCH_SIZE + 20):
            yield document(n)
            if n == BATCH_SIZE + 10:
                # Another connection, as a reader's request: the old index, whole.
                seen_while_running.append((backend.count(), backend.search("旧的通知").total))
        # The repeat comes after its first version was sent.
        yield document(7, title="关于第7批名录的更正通知")

    backend._token_shares()  # known to this process before the rebuild
    assert (backend.alias, connection.settings_dict["NAME"]) in database._token_shares
    progress = []
    assert backend.rebuild(documents(), progress=progress.append) == BATCH_SIZE + 21
    # The process that rebuilt the index asks again how common each token is.
    assert (backend.alias, connection.settings_dict["NAME"]) not in database._token_shares
    assert seen_while_running == [(5, 5)]
    assert progress == [BATCH_SIZE, BATCH_SIZE + 21]
    assert backend.count() == BATCH_SIZE + 20
    assert backend.search("旧的通知").total == 0
    assert backend.search("更正通知").ids == ["page:7"]
    assert backend.search("非物质文化遗产").total == BATCH_SIZE + 19


@pytest.mark.django_db(transaction=True)
def test_a_streamed_rebuild_that_fails_keeps_the_old_index():
    postgresql_only()
    backend = DatabaseSearchBackend()
    backend.index([document(n, title="旧的通知") for n in range(5)])

    def documents():
        yield from (document(n) for n in range(BATCH_SIZE + 20))
        raise RuntimeError("the pages could not be read")

    with pytest.raises(RuntimeError, match="could not be read"):
        backend.rebuild(documents())
    assert backend.count() == 5
    assert backend.search("旧的通知").total == 5
    assert backend.search("非物质文化遗产").total == 0


def test_the_ids_a_rebuild_has_seen_are_told_apart_from_new_ones():
    from opengov_cms.search.backends.database import SeenIds

    seen = SeenIds()
    assert [seen.add(i) for i in ("page:3", "page:70000", "page:3", "doc:3", "doc:3")] == [
        True,
        True,
        False,
        True,
        False,
    ]
    # A page id too large for a bit of its own is kept like any other id.
    assert seen.add("page:99999999999") and not seen.add("page:99999999999")
    assert seen.add("page:4") and not seen.add("page:70000")


@pytest.mark.django_db
def test_a_rebuild_writes_a_fixed_number_of_statements_per_batch():
    def rebuild_queries(size):
        backend = DatabaseSearchBackend()
        with CaptureQueriesContext(connection) as context:
            backend.rebuild(document(n) for n in range(size))
        assert backend.count() == size
        return len(context.captured_queries)

    rebuild_queries(1)  # what a process reads once (the site's terms) is read by now
    one_batch = rebuild_queries(BATCH_SIZE)
    three_batches = rebuild_queries(3 * BATCH_SIZE)
    per_batch = (three_batches - one_batch) / 2
    assert per_batch == int(per_batch)
    # PostgreSQL: a savepoint around one COPY; SQLite: three statements over the batch.
    assert per_batch <= 3


@pytest.mark.django_db
def test_long_bodies_keep_their_first_words_findable():
    backend = DatabaseSearchBackend()
    # Far more tokens than PostgreSQL keeps positions for, and one word repeated far more often
    # than it keeps positions of one lexeme.
    body = "行政许可事项清单。" + "文物保护" * 9000 + "档案馆开放日"
    backend.index([document(1, body=body), document(2)])

    assert backend.search("行政许可事项").ids == ["page:1"]
    assert backend.search("文物保护").ids == ["page:1"]
    assert backend.search("非物质文化遗产").total == 2


@pytest.mark.django_db
def test_the_editors_index_writes_a_fixed_number_of_statements(publish_entry):
    pages = [publish_entry(title=f"关于第{n}批名录的通知") for n in range(6)]

    def write_queries(entries):
        with CaptureQueriesContext(connection) as context:
            admin_index.write(entries)
        return len(context.captured_queries)

    entries = admin_index.entries(pages)
    assert write_queries(entries[:2]) == write_queries(entries)
    with CaptureQueriesContext(connection) as context:
        done = admin_index.rebuild()
    assert done == admin_index.count()
    # On PostgreSQL the tsvector goes in with the row, never by a second UPDATE.
    assert not any("SET search_vector" in query["sql"] for query in context.captured_queries)


TAG_SAMPLES = [
    "",
    "公开",
    "<p>政府信息公开</p><p>工作要点</p>",
    '<p>见<a href="/policies/1/?a=1&amp;b=2" title="x">通知</a>&nbsp;全文</p>',
    '<p class="a>b">引号里的尖括号</p>',
    "<p>a &lt; b &#20013;&#x6587;</p><br/><hr />",
    "<!-- 注释 --><p>注释之后</p>",
    "<script>var a = '<b>';</script><p>脚本之后</p>",
    "a < b > c",
    "<p>未结束的实体 &amp 和 & 符号</p>",
    "</ p>不规范的结束标签<p",
    '<H1>标题</H1><LI>列表</LI><embed embedtype="image" id="1"/>',
]


@pytest.mark.parametrize("html", TAG_SAMPLES)
def test_tags_are_stripped_as_django_and_wagtail_strip_them(html):
    assert analysis.strip_tags(html) == django_strip_tags(html)
    assert analysis.rich_text_for_indexing(html) == get_text_for_indexing(html)


def test_tag_stripping_agrees_with_django_on_random_markup():
    pieces = [
        "<p>", "</p>", "<br/>", "<a href=\"x?a=1&amp;b=2\">", "</a>", "&amp;", "&nbsp;",
        "&#20013;", "&", "&am", "<", ">", "公开", "abc", " ", "\n", "<!-- c -->", "<script>",
        "</script>", "<b", "'", '"', "<p class='a'>", "</ p>", "<?x?>", "</p foo>", "<H1>",
    ]  # fmt: skip
    generator = random.Random(7)
    for _ in range(3000):
        html = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 12)))
        assert analysis.strip_tags(html) == django_strip_tags(html), html


@pytest.mark.parametrize(
    "text",
    [
        "政府信息公开\t条例\n第二十条\r",
        "\u3000全角空格\u3000与零宽\u200b字符",
        "控制\x00字符\x07与私用\ue000区",
        "ＧＢ２０１９与ﬁ连字",
        "Ⅻ号文件①",
    ],
)
def test_normalising_drops_what_carries_no_meaning(text):
    expected = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cf", "Co")
    )
    assert analysis.normalise(text) == unicodedata.normalize("NFKC", expected).lower()


@pytest.mark.django_db
def test_a_search_matches_the_text_twice_however_many_facets_it_counts():
    """The results page once, the total and every facet's counts in one more statement: a
    common word is matched over the whole index twice, not once per facet."""
    from opengov_cms.search.backends.base import FACET_FIELDS

    backend = DatabaseSearchBackend()
    backend.index([document(n, organisation=f"第{n % 3}局", year=2020 + n % 4) for n in range(30)])

    def statements(facets):
        with CaptureQueriesContext(connection) as context:
            results = backend.search("文化遗产", facets=facets, filters={"year": [2021, 2022]})
        return len(context.captured_queries), results

    statements(())  # what a process reads once by time (the statistics) is read by now
    bare, without = statements(())
    full, results = statements(FACET_FIELDS)

    assert bare == full == 2
    assert results.total == without.total == 15
    assert dict(results.facets["year"]) == {2021: 8, 2022: 7}
    assert results.facets["organisation"] == [("第2局", 6), ("第1局", 5), ("第0局", 4)]
