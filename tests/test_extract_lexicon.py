"""Fast-matching helpers must give exactly what the plain regex / per-sentence calls give."""
import random
import re

from geo.extract.lexicon import Lexicon, anchored_finditer
from geo.extract.origins import _COMPANY_RE, companies_by_sentence, find_companies
from geo.extract.sentences import split_sentences

_PIECES = list("公司集团控股有限股份的，, A1（)）晋太原企业一家某在与、。\n ；项目期") + [
    "山西", "上海", "广州", "比亚迪", "美的", "360", "吉利", "新能源", "科技", "宁德时代", "京津冀", "格力",
    "。）", "。”", "举行", "客商"]


def _texts(n, seed):
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 80))) for _ in range(n)]


def test_prefixed_matches_the_alternation_regex():
    words = ["上海", "上海市", "海南", "南京"]
    lex = Lexicon(sorted(words, key=len, reverse=True))
    regex = re.compile("(?:上海市|上海|海南|南京)(?:企业|客商)")
    for text in ["上海市企业与海南客商", "上海海南企业", "南京上海市客商上海企业", ""]:
        assert [(s, e) for s, e, _ in lex.prefixed(text, re.compile("(?:企业|客商)"))] == \
            [m.span() for m in regex.finditer(text)]


def test_anchored_finditer_equals_full_scan():
    anchor, brk = re.compile("公司|集团|控股"), re.compile(r"[^\u4e00-\u9fffA-Za-z0-9（）()]")
    for text in _texts(1500, 1):
        assert [m.span() for m in anchored_finditer(_COMPANY_RE, text, anchor, brk, 40)] == \
            [m.span() for m in _COMPANY_RE.finditer(text)]


def test_companies_by_sentence_equals_per_sentence_search():
    def key(spans):
        return [(c.start, c.end, c.text, c.known and c.known.name) for c in spans]

    for text in _texts(800, 2):
        sents = split_sentences(text)
        whole, per = companies_by_sentence(text, [(s.start, s.end) for s in sents])
        assert key(whole) == key(find_companies(text))
        for s, found in zip(sents, per):
            assert key(found) == key(find_companies(s.text)), s.text
