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
        full = [m.span() for m in _COMPANY_RE.finditer(text)]
        assert [m.span() for m in anchored_finditer(_COMPANY_RE, text, anchor, brk, 40)] == full
        # every company match ends with its suffix word, so the scan may stop at a run's last one
        assert [m.span() for m in anchored_finditer(_COMPANY_RE, text, anchor, brk, 40, ends_at_anchor=True)] == full


def test_companies_by_sentence_equals_per_sentence_search():
    def key(spans):
        return [(c.start, c.end, c.text, c.known and c.known.name) for c in spans]

    for text in _texts(800, 2):
        sents = split_sentences(text)
        whole, per = companies_by_sentence(text, [(s.start, s.end) for s in sents])
        assert key(whole) == key(find_companies(text))
        for s, found in zip(sents, per):
            assert key(found) == key(find_companies(s.text)), s.text


# Pieces for amount, count and date patterns: numerals, units, currencies, qualifiers, separators.
_NUM_PIECES = list("0123456789,.一二两三四五六七八九十百千零万亿元美欧港日币人民约超至到-~多余个项份年月日号季度第今去前"
                   " \n。，、以上下内左右") + ["项目", "亿元", "万元", "美元", "今年", "去年", "季度", "签约", "已开工"]


def _num_texts(n, seed):
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_NUM_PIECES) for _ in range(rnd.randint(0, 40))) for _ in range(n)]


def test_starts_finditer_equals_finditer_for_counts_and_dates():
    from geo.extract.dates import _PATTERNS, _STARTS
    from geo.extract.lexicon import starts_finditer
    from geo.extract.projects import _COUNT, _COUNT_STARTS

    cases = [(_COUNT, _COUNT_STARTS)] + [(p, _STARTS[k]) for k, p in _PATTERNS]
    for text in _num_texts(1500, 2):
        for pattern, starts in cases:
            assert [m.span() for m in starts_finditer(pattern, text, starts)] == \
                [m.span() for m in pattern.finditer(text)], (pattern.pattern, text)


def test_amount_scan_equals_full_scan():
    from geo.extract.amounts import _AMOUNT, _amount_matches

    for text in _num_texts(3000, 3):
        assert [m.span() for m in _amount_matches(text)] == [m.span() for m in _AMOUNT.finditer(text)], text


def test_split_sentences_matches_terminator_scan():
    # Reference: the plain definition (split after 。！？；!?; plus closing quotes, and at line
    # breaks; trim white space; a run of line breaks starts one new paragraph).
    end = re.compile(r"[。！？；!?;]+[”’」』\"')）]*|\n+")

    def reference(text):
        out, para, pos = [], 0, 0
        bounds = [(m.end() if m.group()[0] != "\n" else m.start(), m) for m in end.finditer(text)]
        for stop, m in bounds + [(len(text), None)]:
            piece = text[pos:stop]
            if piece.strip():
                start = pos + len(piece) - len(piece.lstrip())
                out.append((start, start + len(piece.strip()), piece.strip(), para))
            if m is not None:
                para += "\n" in m.group()
                pos = m.end()
        return out

    rnd = random.Random(4)
    alphabet = "。！？；!?;”’\"')） \n\t\u3000中文，"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 20)))
        assert [tuple(s) for s in split_sentences(text)] == reference(text), repr(text)


def test_kind_word_scan_equals_lookahead_regex():
    from geo.extract.amounts import _KIND_LEXICON, _KIND_RE, _nearest_before

    at = re.compile(f"(?=({_KIND_RE.pattern}))")  # the former scan: longest word at each position

    def reference(text, lo, hi):
        best, best_end = None, -1
        for m in at.finditer(text, lo, hi):
            word = m.group(1)
            end = m.start() + len(word)
            if end > best_end or (end == best_end and len(word) > len(best)):
                best, best_end = word, end
        return best

    pieces = _NUM_PIECES + ["投资", "总投资额", "签约投资额", "投资额", "产值", "年产值", "资金", "专项资金", "收入"]
    rnd = random.Random(5)
    for _ in range(400):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        hi = rnd.randint(0, len(text))
        assert _nearest_before(_KIND_LEXICON.occurrences(text), hi)[0] == reference(text, 0, hi), (text, hi)


def test_amount_kind_equals_clause_by_clause_search():
    from geo.extract.amounts import _KIND_RE, _WORD_KIND, amount_kind
    from geo.extract.sentences import clause_bounds

    at = re.compile(f"(?=({_KIND_RE.pattern}))")

    def nearest(text, lo, hi):  # the governing word ending last in text[lo:hi], longest at equal ends
        best, best_end = None, -1
        for m in at.finditer(text, lo, hi):
            for word in {w for w in _WORD_KIND if text.startswith(w, m.start()) and m.start() + len(w) <= hi}:
                end = m.start() + len(word)
                if end > best_end or (end == best_end and len(word) > len(best)):
                    best, best_end = word, end
        return best

    def reference(text, start, end):  # the former definition, one clause at a time
        c_start, _ = clause_bounds(text, start)
        c_end = clause_bounds(text, end)[1]  # the clause the amount ends in: 1,200万元 holds a comma
        best = nearest(text, c_start, start)
        if best:
            return _WORD_KIND[best], best
        after = _KIND_RE.search(text, end, min(c_end, end + 10))
        if after:
            return _WORD_KIND[after.group()], after.group()
        best = nearest(text, 0, c_start)
        return (_WORD_KIND[best], best) if best else ("other", None)

    pieces = _NUM_PIECES + ["投资", "总投资额", "签约投资额", "投资额", "产值", "年产值", "资金", "专项资金", "收入",
                            "，", "：", ",", "的", "营收"]
    rnd = random.Random(10)
    for _ in range(1500):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        start = rnd.randint(0, len(text))
        end = rnd.randint(start, len(text))
        assert amount_kind(text, start, end) == reference(text, start, end), (text, start, end)


def test_could_hold_records_is_a_safe_pretest():
    from geo.extract.projects import could_hold_records, drafts_for_sentence

    pieces = _NUM_PIECES + ["“", "”", "建设", "基地", "年产", "工程", "生产线", "公司", "集团", "开工", "一批",
                            "协议", "合同", "打造", "中心", "、", "推进"]
    rnd = random.Random(6)
    for _ in range(2000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        if not could_hold_records(text):
            assert drafts_for_sentence(text, [], lambda lo, hi: True) == [], text


def test_article_year_scan_equals_lookbehind_regex():
    from geo.extract import dates

    old = re.compile(r"(?<!\d)(?:19|20)\d\d年")
    rnd = random.Random(7)
    pieces = ["1", "2", "0", "9", "19", "20", "2023", "年", "到", "至", "截至", "规划", "，", "在"]
    for _ in range(300):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 20)))
        kept = [m.start() for m in dates._YEAR_WORD.finditer(text)
                if not (m.start() > 0 and dates._DIGIT.match(text, m.start() - 1))]
        assert kept == [m.start() for m in old.finditer(text)], text


def test_xiangmu_phrases_equal_the_lazy_pattern():
    from geo.extract.projects import _XIANGMU_NAME, _xiangmu_phrases

    pieces = ["项目", "项", "目", "一期", "二", "期", "建设", "太原", "A", "7", "·", "（", "，", "。", " ", "、",
              "年产10万吨", "的", "重点"]
    rnd = random.Random(8)
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
        assert _xiangmu_phrases(text) == [m.span() for m in _XIANGMU_NAME.finditer(text)], text


def test_prefix_qualifier_equals_per_word_search():
    from geo.extract.amounts import _PREFIX_Q, _prefix_qualifier

    # The former scan: each word's own pattern; the leftmost start wins, ties by list order.
    per_word = [(q, re.compile(re.escape(w) + r"(?:达到|达|为|计|共|总计)?\s*$")) for q, ws in _PREFIX_Q for w in ws]

    def reference(text, start):
        window = text[max(0, start - 6):start]
        best = None
        for qualifier, pattern in per_word:
            m = pattern.search(window)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), qualifier)
        return (start, None) if best is None else (start - (len(window) - best[0]), best[1])

    pieces = [w for _, ws in _PREFIX_Q for w in ws] + ["达到", "达", "为", "共", "总计", " ", "投资", "1", "不"]
    rnd = random.Random(9)
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        assert _prefix_qualifier(text, len(text)) == reference(text, len(text)), text
