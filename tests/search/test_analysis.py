"""Text analysis: normalisation, bigrams, query analysis, 文号 keys, jieba and highlights."""

import pytest

from opengov_cms.search import analysis
from opengov_cms.search.models import SearchTerm


def test_normalise_full_width_case_and_invisible_characters():
    assert analysis.normalise("ＧＢ／Ｔ　２０１９") == "gb/t 2019"
    assert analysis.normalise("A\x00B\u200bC\ud800") == "abc"
    assert analysis.normalise(None) == ""


def test_normalise_gives_what_nfkc_of_the_whole_text_gives():
    """Pieces are normalised apart; the text must come out as NFKC of the whole would make
    it, combining marks joined to the letter before them included."""
    import random
    import unicodedata

    assert analysis.normalise("cafe\u0301，（第１号）…①") == "café,(第1号)...1"
    assert analysis.normalise("\u1100\u1161\u11a8") == "\uac01"  # jamo become one syllable
    pool = (
        "aeo1 ,.中国政府公开、。“”《》〔〕—"
        "，：；（）！？％　ＡＢ１２…①ﬁ㈱\uf900\u0301\u0308\u0323\u0344\u1100\u1161\u11a8é"
    )
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        assert analysis.normalise(text) == unicodedata.normalize("NFKC", text).lower(), text


def test_chinese_runs_become_bigrams_and_their_last_character():
    assert analysis.tokens("政府信息公开") == ["政府", "府信", "信息", "息公", "公开", "开"]
    assert analysis.tokens("税") == ["税"]
    assert analysis.tokens("第2019号") == ["第", "2019", "号"]


def test_other_text_becomes_words():
    assert analysis.tokens("11341500MB1234567X/2019-00123") == [
        "11341500mb1234567x",
        "2019",
        "00123",
    ]
    assert analysis.tokens("Open Government, 2019!") == ["open", "government", "2019"]
    assert analysis.analyse("信息 ABC") == "信息 息 abc"


@pytest.mark.parametrize(
    "number",
    [
        "国办发〔2019〕14号",
        "国办发[2019]14号",
        "国办发(2019)14号",
        "国办发（2019）14号",
        "国办发【2019】14号",
        "国办发［２０１９］１４号",
        "国办发 〔2019〕 14 号",
    ],
)
def test_document_number_keys_compare_equal(number):
    assert analysis.document_number_key(number) == "国办发[2019]14号"


def test_index_number_key():
    assert analysis.index_number_key(" 11341500ＭＢ1234567x／2019-00123 ") == (
        "11341500mb1234567x/2019-00123"
    )


def test_query_groups(db):
    query = analysis.analyse_query("信息公开 2019 税")
    assert query.groups == [["信息", "息公", "公开"], ["2019"], ["税"]]
    assert query.prefix == [False, False, True]
    # The whole query as one phrase, as a document holding 信息公开2019税… would give it.
    assert query.phrase == ["信息", "息公", "公开", "开", "2019"]
    assert analysis.analyse_query("安全 管理").phrase == ["安全", "全管", "管理"]
    assert analysis.analyse_query("安全管理").phrase == []


def test_query_operators_are_text(db):
    query = analysis.analyse_query('公开 & (信息 | !指南) "~*:')
    assert query.groups == [["公开"], ["信息"], ["指南"]]
    assert analysis.analyse_query("&|!()").groups == []


def test_query_is_capped(db, settings):
    settings.OPENGOV_CMS_SEARCH_QUERY_MAX_LENGTH = 200
    query = analysis.analyse_query("公" * 100_000)
    assert query.text == "公" * 200
    assert len(query.groups[0]) == 199
    settings.OPENGOV_CMS_SEARCH_QUERY_MAX_LENGTH = 3
    assert analysis.analyse_query("政府信息公开").text == "政府信"


def test_site_terms_change_the_segmentation(db):
    analysis.invalidate_terms()
    try:
        assert "三同步" not in analysis.segment("落实三同步要求")
        SearchTerm.objects.create(term="三同步")
        assert "三同步" in analysis.segment("落实三同步要求")
        SearchTerm.objects.filter(term="三同步").delete()
        analysis.invalidate_terms()
        assert "三同步" not in analysis.segment("落实三同步要求")
    finally:
        analysis.invalidate_terms()


def test_terms_another_process_enters_are_taken_up_within_the_check_period(db, process_clock):
    # No signal reaches this process from another one's save (bulk_create sends none).
    analysis.invalidate_terms()
    try:
        assert "三同步" not in analysis.segment("落实三同步要求")
        SearchTerm.objects.bulk_create([SearchTerm(term="三同步")])
        process_clock.advance(analysis.TERMS_CHECK_SECONDS - 1)
        assert "三同步" not in analysis.segment("落实三同步要求")  # the copy still trusted
        process_clock.advance(1)
        assert "三同步" in analysis.segment("落实三同步要求")
    finally:
        analysis.invalidate_terms()


def test_terms_another_process_deletes_are_dropped_within_the_check_period(db, process_clock):
    analysis.invalidate_terms()
    try:
        SearchTerm.objects.create(term="三同步")
        assert "三同步" in analysis.segment("落实三同步要求")
        # Deleted without a signal reaching this process.
        SearchTerm.objects.filter(term="三同步")._raw_delete(SearchTerm.objects.db)
        process_clock.advance(analysis.TERMS_CHECK_SECONDS)
        assert "三同步" not in analysis.segment("落实三同步要求")
    finally:
        analysis.invalidate_terms()


def test_highlight_marks_the_original_text_and_escapes_the_rest(db):
    query = analysis.analyse_query("信息公开 ｇｂ")
    html = analysis.highlight("<b>政府信息公开</b> GB/T 标准", query)
    assert str(html) == "&lt;b&gt;政府<mark>信息公开</mark>&lt;/b&gt; <mark>GB</mark>/T 标准"
    # Full-width text is marked as it was written.
    assert str(analysis.highlight("ＧＢ标准", query)) == "<mark>ＧＢ</mark>标准"


def test_highlight_cuts_long_text_around_the_first_match(db):
    query = analysis.analyse_query("公开")
    text = "甲" * 300 + "公开" + "乙" * 300
    html = str(analysis.highlight(text, query, limit=100))
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>公开</mark>" in html
    assert len(html) < 140


def test_a_counter_is_marked_only_alone_right_after_a_number(db):
    assert analysis.analyse_query("六政办〔2008〕1号").counters == [False, False, False, True]
    assert analysis.analyse_query("2019年5月").counters == [False, True, False, True]
    # Not after a space, not a longer run, not another character, not alone.
    assert analysis.analyse_query("2019 年").counters == [False, False]
    assert analysis.analyse_query("1号令").counters == [False, False]
    assert analysis.analyse_query("第3批").counters == [False, False, False]
    assert analysis.analyse_query("号").counters == [False]
