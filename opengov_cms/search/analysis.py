"""Chinese text analysis shared by every search backend: normalisation, folding, bigrams,
synonyms and jieba words.

Text is analysed once, here, so the database and the engine index exactly the same tokens
and a query means the same thing on both. Every token is made of letters and digits only,
which is what lets the backends quote them into their query languages without escaping.

What people type is met here too, for every backend at once: traditional characters fold to
simplified ones (OpenCC), punctuation and quotes between two runs of Chinese do not separate
them (三公经费 finds “三公”经费), and the site's dictionary of synonyms and abbreviations
(检索词典) widens a query when it is analysed, so an edit needs no new index.
"""

import functools
import itertools
import logging
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from html import escape, unescape

from opengov_cms.conf import opengov_settings
from opengov_cms.core import aging

# CJK unified ideographs (with extensions A to G), compatibility ideographs and 〇.
HAN = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f"
)
_HAN_RUN = re.compile(f"[{HAN}]+")
_WORD = re.compile(f"(?:(?![{HAN}])[^\\W_])+")
_SEGMENT = re.compile(f"[{HAN}]+|(?:(?![{HAN}])[^\\W_])+")
# Controls, format characters, surrogates and unassigned code points never carry meaning in a
# query or a title, and NUL or a lone surrogate would break the database drivers.
_DROP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
# Every token in order, in one pass: at each Chinese character the pair it starts (or the
# character alone at the end of its run), and each other word whole.
_TOKEN = re.compile(
    f"(?=([{HAN}]{{2}}|[{HAN}]|(?:(?![{HAN}])[^\\W_])+))(?:[{HAN}]|(?:(?![{HAN}])[^\\W_])+)"
)

# Characters NFKC leaves as they are, that never join the character before or after them:
# ASCII, the CJK unified ideographs and the common Chinese punctuation
# 、。“”〈〉《》「」『』【】〔〕—.
# Normalising what lies between them piece by piece gives the same text as normalising the
# whole; a piece takes the ASCII character before it, which a combining mark may join.
_MAY_CHANGE = re.compile(
    "[\x00-\x7f]?[^\x00-\x7f\u4e00-\u9fff\u3001\u3002\u201c\u201d\u3008-\u3011\u3014\u3015\u2014]+"
)
# The full-width punctuation that is most of what NFKC changes in Chinese text, each mark to
# one half-width character. Replacing it first gives what NFKC gives (NFKC makes the same
# replacement) and leaves little or nothing for NFKC.
_WIDE_PUNCTUATION = tuple(
    (wide, unicodedata.normalize("NFKC", wide))
    for wide in "\uff0c\uff1a\uff1b\uff08\uff09\uff01\uff1f\uff05\u3000"
)

# Punctuation that joins rather than separates when it stands between two Chinese characters
# (after normalisation): quotes, the enumeration comma 、, middle dots, title marks, brackets
# and dashes. “三公”经费, 双随机、一公开 and 《办法》的通知 are read as 三公经费, 双随机一公开
# and 办法的通知, in documents and queries alike. Marks that end a clause or a sentence
# (，。；：！？), spaces and the slash of an index number still separate: across them two
# characters that never stood together would make a word (办公。开展 is not 公开).
JOINERS = (
    "\"'\u201c\u201d\u2018\u2019\u300c-\u300f\u301d-\u301f\u3001"
    "\u00b7\u2022\u30fb\u2027\u300a\u300b\u3008\u3009()\\[\\]\u3010\u3011\u3014\u3015"
    "\u3016\u3017{}\u2014\u2013\u2015\u2e3a-"
)
_JOINED = re.compile(f"(?<=[{HAN}])[{JOINERS}]+(?=[{HAN}])")

# Bracket forms seen around the year of a 文号: 〔2019〕 [2019] (2019) 【2019】 ﹝2019﹞ ...
_OPENING_BRACKETS = "[(（〔【［﹝〖{<《⦅〘"
_CLOSING_BRACKETS = "])）〕】］﹞〗}>》⦆〙"
_BRACKETS = str.maketrans(
    {
        **dict.fromkeys(_OPENING_BRACKETS, "["),
        **dict.fromkeys(_CLOSING_BRACKETS, "]"),
    }
)


def normalise(text):
    """NFKC, lowercase, and without control characters, NUL or lone surrogates.

    Full-width letters, digits and punctuation become their half-width forms, so "ＧＢ２０１９"
    and "gb2019" are the same text.
    """
    if not text:
        return ""
    text = str(text)
    # Printable text has none of the characters to drop; otherwise each distinct character is
    # looked at once, not each occurrence.
    if not text.isprintable():
        text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
        if not text.isprintable():
            for ch in set(text):
                if unicodedata.category(ch) in _DROP_CATEGORIES:
                    text = text.replace(ch, "")
    if not unicodedata.is_normalized("NFKC", text):
        for wide, narrow in _WIDE_PUNCTUATION:
            if wide in text:
                text = text.replace(wide, narrow)
        if not unicodedata.is_normalized("NFKC", text):
            # Only the pieces that may change are normalised, each with the character before
            # it (which a combining mark may join); Chinese text is mostly characters that
            # never do.
            text = _MAY_CHANGE.sub(_nfkc, text)
    return text.lower()


def _nfkc(match):
    return unicodedata.normalize("NFKC", match.group())


# Traditional to simplified ----------------------------------------------------------------

#: The OpenCC conversion applied to documents and queries: traditional characters, with the
#: Hong Kong and Taiwan variant forms, to simplified ones (政務公開, 衞生 and 臺灣 become
#: 政务公开, 卫生 and 台湾). Changing it changes every token: rebuild the index after.
OPENCC_CONFIG = "hk2s"
_converter_lock = threading.Lock()
_converter_state = {"converter": None}


def _converter():
    converter = _converter_state["converter"]
    if converter is None:
        with _converter_lock:
            converter = _converter_state["converter"]
            if converter is None:
                import opencc

                converter = _converter_state["converter"] = opencc.OpenCC(OPENCC_CONFIG)
    return converter


def fold(text):
    """``text`` with traditional Chinese written in simplified characters (OpenCC)."""
    if not text:
        return ""
    return _converter().convert(text)


def join_runs(text):
    """``text`` without the quotes, 、 and brackets that stand between two Chinese characters."""
    return _JOINED.sub("", text)


def searchable(text):
    """The form of ``text`` that tokens are made from: normalised, folded to simplified
    characters, its Chinese runs joined across quotes and 、."""
    return join_runs(fold(normalise(text)))


def is_han(ch):
    return _HAN_RUN.fullmatch(ch) is not None


def bigrams(run):
    """Overlapping pairs of a run of Chinese characters; one character stays one token."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text):
    """The indexed tokens of ``text``, in order, for phrase matching.

    A run of Chinese characters gives its bigrams followed by its last character alone, so a
    one-character query (税) can be found as a prefix of some token wherever the character
    stands in the run. Other text gives its words.
    """
    return _TOKEN.findall(searchable(text))


def analyse(text):
    """``tokens(text)`` as one space-separated string: what the engines' whitespace analyzer
    and the database's full-text column receive."""
    return " ".join(tokens(text))


def document_number_key(value):
    """The exact-lookup form of a 文号: 国办发〔2019〕14号, 国办发[2019]14号, 国办发（2019）14号
    and their full-width forms all give ``国办发[2019]14号``."""
    text = fold(normalise(value)).translate(_BRACKETS)
    return "".join(text.split())


def index_number_key(value):
    """The exact-lookup form of a 索引号 (11341500MB1234567X/2019-00123)."""
    return "".join(fold(normalise(value)).split())


def cap_query(text):
    """Normalised query text, cut to OPENGOV_CMS_SEARCH_QUERY_MAX_LENGTH characters.

    The cut happens before normalisation too, so a 100,000-character query costs no more
    than a short one.
    """
    limit = max(1, int(opengov_settings.SEARCH_QUERY_MAX_LENGTH))
    text = "" if text is None else str(text)
    return normalise(text[: limit * 2])[:limit].strip()


#: Alternatives a query's Chinese run may be widened to by the site's dictionary, at most.
MAX_ALTERNATIVES = 16

#: The characters a number is followed by in a 文号 (六政办〔2008〕1号) and a date (2008年5月
#: 1日). An official document carries both (《党政机关公文处理工作条例》, 中办发〔2012〕14号,
#: 第九条: 公文一般由……发文字号……成文日期……等组成, items 五 and 十二), so such a
#: character, alone after a number in a query, is in nearly every document: ``Query.counters``.
NUMBER_COUNTERS = frozenset("号年月日")


@dataclass
class Query:
    """An analysed query.

    ``groups`` are token sequences that must all match, each as a phrase (a Chinese run gives
    its bigrams; any other word gives itself). ``prefix`` marks a one-character Chinese group,
    matched as a token prefix. ``clauses`` is what the backends match: one clause per group,
    each a list of alternatives any one of which may match, each alternative a list of
    (tokens, prefix) parts that must all match; the first alternative is the group itself,
    the others are its synonyms from the site's dictionary. ``phrase`` is every token of the
    query in order: a document holding the whole query as one phrase ranks higher.
    ``words`` are jieba's words of the query, for ranking only. ``counters`` marks, for each
    group, one of NUMBER_COUNTERS standing alone right after a number (the 号 of …1号): a
    database tests it on the rows the other groups find rather than look it up in its index.
    """

    text: str
    groups: list = field(default_factory=list)
    prefix: list = field(default_factory=list)
    counters: list = field(default_factory=list)
    clauses: list = field(default_factory=list)
    phrase: list = field(default_factory=list)
    words: list = field(default_factory=list)
    number_key: str = ""
    index_key: str = ""
    #: The pieces of the wordings the dictionary added (highlighted like the query's own).
    synonyms: list = field(default_factory=list)
    #: The whole runs the dictionary added, as a reader may be told (非物质文化遗产保护).
    widened_to: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.text)

    @property
    def terms(self):
        """The pieces of searchable text a highlight marks: Chinese runs and other words, and
        the wordings the dictionary added."""
        return [*_SEGMENT.findall(searchable(self.text)), *self.synonyms]

    def marked_terms(self):
        """``terms`` without repeats, longest first, as each highlight marks them: worked out
        once for the forty-odd highlights of a result page."""
        key = (self.text, len(self.synonyms))
        kept = self.__dict__.get("_marked_terms")
        if kept is None or kept[0] != key:
            kept = self.__dict__["_marked_terms"] = (
                key,
                tuple(sorted(set(self.terms), key=len, reverse=True)),
            )
        return kept[1]

    @property
    def indexed_clauses(self):
        """``clauses`` without the counters: what a database asks of its text index."""
        return [c for c, counter in zip(self.clauses, self.counters, strict=True) if not counter]

    @property
    def counter_characters(self):
        """The character of each counter, to be tested on the rows the other clauses find."""
        return [g[0] for g, counter in zip(self.groups, self.counters, strict=True) if counter]

    @property
    def widened(self):
        """Whether the site's dictionary added wordings to the query."""
        return any(len(clause) > 1 for clause in self.clauses)


def _parts(text):
    """(tokens, prefix) of each piece of already searchable ``text``."""
    parts = []
    for piece in _SEGMENT.findall(text):
        if is_han(piece[0]):
            parts.append((bigrams(piece), len(piece) == 1))
        else:
            parts.append(([piece], False))
    return parts


def alternatives(run, rings):
    """Other wordings of the Chinese ``run`` by the dictionary ``rings`` (wording -> every
    wording of its entry): each wording found in the run, longest first, left to right, is
    replaced by each of the others. At most MAX_ALTERNATIVES, the run itself not included."""
    if not rings or len(run) < 2:
        return []
    spans, position = [], 0
    longest = max(len(wording) for wording in rings)
    while position < len(run):
        for size in range(min(longest, len(run) - position), 1, -1):
            ring = rings.get(run[position : position + size])
            if ring:
                spans.append((position, position + size, ring))
                position += size
                break
        else:
            position += 1
    if not spans:
        return []
    pieces, cursor = [], 0
    for start, end, ring in spans:
        pieces.append((run[cursor:start],))
        pieces.append((run[start:end], *(w for w in ring if w != run[start:end])))
        cursor = end
    pieces.append((run[cursor:],))
    found = []
    for choice in itertools.product(*pieces):
        text = "".join(choice)
        if text != run and text not in found:
            found.append(text)
            if len(found) >= MAX_ALTERNATIVES:
                break
    return found


def analyse_query(raw):
    """Analyse a reader's query; any characters at all are taken as text."""
    text = cap_query(raw)
    query = Query(text=text)
    if not text:
        return query
    folded = searchable(text)
    rings = None
    after = None  # where the piece before ended, if it ended in a digit
    for found in _SEGMENT.finditer(folded):
        piece = found.group()
        if is_han(piece[0]):
            group = bigrams(piece)
            query.prefix.append(len(piece) == 1)
        else:
            group = [piece]
            query.prefix.append(False)
        query.counters.append(piece in NUMBER_COUNTERS and after == found.start())
        after = found.end() if piece[-1].isdigit() else None
        query.groups.append(group)
        clause = [[(group, query.prefix[-1])]]
        if is_han(piece[0]) and len(piece) > 1:
            if rings is None:
                rings = synonym_rings()
            for wording in alternatives(piece, rings):
                clause.append(_parts(wording))
                query.synonyms.extend(_SEGMENT.findall(wording))
                query.widened_to.append(wording)
        query.clauses.append(clause)
    # A whole-query phrase only means something when the query has several pieces: runs
    # separated by spaces or punctuation that may stand together in a document.
    if len(query.groups) > 1:
        phrase = tokens("".join(_SEGMENT.findall(folded)))
        # A lone character at the end is a unigram only where a document's run ends there
        # too; inside a longer run it is the start of a bigram, so leave it out.
        if len(phrase) > 1 and len(phrase[-1]) == 1 and is_han(phrase[-1]):
            phrase.pop()
        query.phrase = phrase
    query.words = [w for w in segment(folded) if len(w) > 1]
    query.number_key = document_number_key(text)
    query.index_key = index_number_key(text)
    return query


# HTML to text ----------------------------------------------------------------------------------

# A start or end tag whose attribute values are quoted without "<" or ">" inside.
_TAG = re.compile(r"""</?[a-zA-Z][^<>"']*(?:(?:"[^"<>]*"|'[^'<>]*')[^<>"']*)*>""")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_RAW_TEXT_ELEMENT = re.compile(r"<(?:script|style)", re.IGNORECASE)
_BLOCK_END = re.compile(r"(</(p|h\d|li|blockquote)>)", re.IGNORECASE)
_LINE_BREAK_TAG = re.compile(r"(<(br|hr)\s*/>)", re.IGNORECASE)


def strip_tags(html):
    """The text of ``html``, as Django's ``strip_tags`` gives it.

    Rich text as editors and imports write it (tags, quoted attributes, entities ending in
    ";") is stripped by one regular expression; anything else (comments, scripts, a stray
    "<" or "&") goes through Django's HTML parser.
    """
    html = "" if html is None else str(html)
    if "<" not in html:
        return html
    text = _TAG.sub("", html)
    if (
        "<" in text
        or html.count("&") != len(_ENTITY.findall(html))
        or _RAW_TEXT_ELEMENT.search(html)
    ):
        from django.utils.html import strip_tags as parse_and_strip

        return parse_and_strip(html)
    return text


def rich_text_for_indexing(html):
    """Wagtail's ``get_text_for_indexing``: the text of rich text, with a space after each
    block, entities decoded."""
    html = _BLOCK_END.sub(r"\1 ", str(html))
    html = _LINE_BREAK_TAG.sub(r"\1 ", html)
    return unescape(strip_tags(html).strip())


# jieba, for ranking only --------------------------------------------------------------------

_jieba_lock = threading.Lock()
_jieba_state = {"tokenizer": None, "loaded_at": 0.0, "rings": {}, "words": {}}
# How long a process trusts its copy of the term dictionary before looking for edits made in
# another process; edits in this process reset it at once (see invalidate_terms).
TERMS_CHECK_SECONDS = 60


def _new_lock_in_child():
    # A fork copies the lock as it is; a thread of the parent may have held it.
    global _jieba_lock
    _jieba_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_lock_in_child)


def load_terms():
    """Load the dictionary with the site's terms now, if it is not loaded and fresh."""
    _tokenizer()


def keep_terms():
    """Keep the loaded dictionary for the rest of this process's life without looking for
    edits (the analysis processes of a rebuild, which never read the database)."""
    with _jieba_lock:
        if _jieba_state["tokenizer"] is not None:
            _jieba_state["loaded_at"] = float("inf")


def invalidate_terms(**kwargs):
    """Forget the loaded dictionary; the next segmentation reloads it with the site's terms."""
    with _jieba_lock:
        _jieba_state["tokenizer"] = None


def _site_terms():
    from django.db import DatabaseError

    from opengov_cms.search.models import SearchTerm

    try:
        return list(SearchTerm.objects.values_list("term", "weight", "equivalents"))
    except DatabaseError:
        # The table does not exist yet (before migrate): segment with jieba's own words.
        return []


def wordings(text):
    """The wordings of a dictionary entry's equivalents: one a line (or between semicolons;
    a 、 or ， belongs to the wording), each in its searchable form."""
    found = []
    for line in re.split(r"[\r\n;；]+", text or ""):
        wording = searchable(line).strip()
        if wording and wording not in found:
            found.append(wording)
    return found


def _rings(terms):
    """wording -> every wording of the entries it belongs to, for the Chinese wordings of
    at least two characters (those a query's run is searched for)."""
    rings = {}
    for term, _weight, equivalents in terms:
        ring = list(dict.fromkeys([searchable(term).strip(), *wordings(equivalents)]))
        ring = [w for w in ring if w]
        if len(ring) < 2:
            continue
        for wording in ring:
            if len(wording) > 1 and _HAN_RUN.fullmatch(wording):
                known = rings.setdefault(wording, [])
                known.extend(w for w in ring if w not in known)
    return {wording: tuple(ring) for wording, ring in rings.items()}


def _tokenizer():
    now = aging.now()
    with _jieba_lock:
        tokenizer = _jieba_state["tokenizer"]
        if tokenizer is not None and now - _jieba_state["loaded_at"] < TERMS_CHECK_SECONDS:
            return tokenizer
        import jieba

        jieba.setLogLevel(logging.WARNING)
        terms = _site_terms()
        words = {}
        for term, weight, equivalents in terms:
            for word in [searchable(term).strip(), *wordings(equivalents)]:
                if word and _HAN_RUN.fullmatch(word):
                    words[word] = weight or None
        # jieba's words can be added to, not taken back: a term deleted or a weight changed
        # in another process needs a dictionary of jieba's own words again.
        if tokenizer is None or not _jieba_state["words"].items() <= words.items():
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            added = {}
        else:
            added = _jieba_state["words"]
        for word, weight in words.items():
            if word not in added:
                tokenizer.add_word(word, freq=weight)
        _jieba_state.update(tokenizer=tokenizer, loaded_at=now, rings=_rings(terms), words=words)
        return tokenizer


def synonym_rings():
    """The site's dictionary as {wording: every wording of its entries}, kept like jieba's
    dictionary: reloaded at once after an edit in this process, within a minute in others."""
    _tokenizer()
    return _jieba_state.get("rings") or {}


def segment(text):
    """jieba's words of the Chinese runs of ``text`` (searchable form), with the site's terms."""
    runs = _HAN_RUN.findall(searchable(text))
    if not runs:
        return []
    tokenizer = _tokenizer()
    words = []
    for run in runs:
        words.extend(w for w in tokenizer.lcut(run, HMM=False) if w)
    return words


def analyse_words(text):
    """jieba's words of ``text`` as one space-separated string (ranking only)."""
    return " ".join(segment(text))


# Highlighting -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _normalise_character(ch):
    return normalise(ch)


def _searchable_with_offsets(text):
    """``searchable(text)`` made one character at a time, remembering where each piece of it
    came from in ``text``."""
    lowered = text.lower()
    if len(lowered) == len(text) and text.isprintable() and unicodedata.is_normalized("NFKC", text):
        # Most titles and summaries: normalising only lowers them, a character for a
        # character, so each piece comes from where it stands.
        normalised, origins = lowered, range(len(text))
    else:
        pieces, origins = [], []
        for index, ch in enumerate(text):
            piece = _normalise_character(ch)
            pieces.append(piece)
            origins.extend([index] * len(piece))
        normalised = "".join(pieces)
    folded = fold(normalised)
    if len(folded) != len(normalised):
        # A conversion that changed the length (none of OpenCC's tables is known to):
        # fold character by character, which keeps the offsets.
        folded = "".join(_fold_character(ch) for ch in normalised)
    if _JOINED.search(folded) is None:
        return folded, origins
    kept, kept_origins, cursor = [], [], 0
    for match in _JOINED.finditer(folded):
        kept.append(folded[cursor : match.start()])
        kept_origins.extend(origins[cursor : match.start()])
        cursor = match.end()
    kept.append(folded[cursor:])
    kept_origins.extend(origins[cursor:])
    return "".join(kept), kept_origins


@functools.lru_cache(maxsize=8192)
def _fold_character(ch):
    folded = fold(ch)
    return folded if len(folded) == 1 else ch


def highlight_spans(text, query):
    """Spans (start, end) of ``text`` (the original, not normalised) that match the query."""
    if not text or not query:
        return []
    searched, origins = _searchable_with_offsets(text)
    marks = [False] * len(text)
    for term in query.marked_terms():
        start = searched.find(term)
        while start != -1:
            end = start + len(term)
            for position in range(origins[start], origins[end - 1] + 1):
                marks[position] = True
            start = searched.find(term, end)
    spans, start = [], None
    for index, marked in enumerate([*marks, False]):
        if marked and start is None:
            start = index
        elif not marked and start is not None:
            spans.append((start, index))
            start = None
    return spans


def highlight(text, query, *, limit=None):
    """HTML of ``text`` with each match in <mark>; everything else escaped.

    With ``limit``, a long text is cut to about that many characters around its first match.
    """
    # ``escape`` is the standard library's, which Django's wraps: the same text, without the
    # wrapper's cost on the forty-odd calls of a result page.
    from django.utils.safestring import mark_safe

    text = text or ""
    spans = highlight_spans(text, query)
    begin, end, prefix, suffix = 0, len(text), "", ""
    if limit and len(text) > limit:
        first = spans[0][0] if spans else 0
        begin = max(0, first - limit // 4)
        end = min(len(text), begin + limit)
        prefix = "…" if begin else ""
        suffix = "…" if end < len(text) else ""
    parts, cursor = [prefix], begin
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, begin), min(span_end, end)
        if span_start >= span_end:
            continue
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    parts.append(suffix)
    return mark_safe("".join(parts))
