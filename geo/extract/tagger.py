"""A learned project-name tagger: a character CRF that marks project names in a sentence.

The rules (projects, lists, blocks) find names by their shapes (…项目, 年产…生产线, A、B等N个项目).
Real articles also name projects in shapes no rule knows (园中园, 景区重塑, a firm's new line
reported with no amount). This tagger works beside the rules in body sentences where they found no
project or only some items of a list (、), reading the words around each head (项目, 园, 基地 …) that
lies in no place, firm or name already found (geo/extract/__init__.py, `_tagged_drafts`): a
linear-chain CRF over characters (python-crfsuite, the CRFsuite library), trained by
`scripts/train_name_tagger.py` on the tuned annotation sets (seeds' tuned sets, realworld dev–dev9,
linkage and test) and the names sets listed for training (other provinces' pages, NAMES_TRAIN in that
script); never on the blind test2–test12 nor the held-out names-b and names-d. Its model is `geo/data/name_tagger.crfsuite`; retrain after the
annotations change.

Features of a character: itself, its neighbours (±1), the bigrams and trigrams around it, its class (Han, digit,
Latin, punctuation), whether it lies in a place mention, a firm's name, quotes, a chain keyword
(chains.csv) or a name's head (项目, 基地, 生产线 …) or just after one, and whether the sentence
names a stage (签约, 开工, 投产 …). A span is kept only if the tagger's marginal probability for
each of its characters is high and it is long enough to be a name (see `tag_names`), and if it reads as
a name (`plausible`: brackets closed, not the front of a firm's name).
"""
from __future__ import annotations

import functools
import hashlib
import re
import threading
from pathlib import Path

MODEL = Path(__file__).resolve().parent.parent / "data" / "name_tagger.crfsuite"
TRAINED_ON = MODEL.with_suffix(".json")  # what the model was trained on (fingerprint of data and features)
# Every character of a kept span is at least this likely to be in a name. Chosen by leaving one training names
# set out at a time (train on the others, extract the one left out; names found vs extracted projects carrying
# an annotated name): F1 0.8037 at 0.7, 0.8116 at 0.5, 0.8118–0.8125 at 0.4–0.3 (docs/extraction-log.md, stop 27).
MIN_PROB = 0.5
MIN_LEN = 4


_HEADS = re.compile("项目|工程|基地|产业园|园区|中心|生产线|电站|工厂|车间|小镇|度假区|综合体|产业链")


@functools.cache
def _keywords() -> re.Pattern:
    """The chain table's keywords (光伏, 氢能, 锂电 …) as one pattern: names are made of them."""
    from .chains import load_chains

    words = sorted({k.keyword for k in load_chains()}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@functools.lru_cache(maxsize=8192)
def _kind(ch: str) -> str:
    if ch.isdigit():
        return "D"
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    if ch.isascii() and ch.isalpha():
        return "L"
    if ch.isspace():
        return "S"
    return "P"


def features(sentence: str, in_place: list[bool], in_firm: list[bool], staged: bool) -> list[list[str]]:
    """One feature list per character of `sentence` (see the module docstring)."""
    padded = "^^" + sentence + "$$"
    quoted, depth = [], 0
    for ch in sentence:
        if ch in "“《「":
            depth += 1
        quoted.append(depth > 0)
        if ch in "”》」" and depth:
            depth -= 1
    marks = [""] * len(sentence)
    for tag, pattern in (("kw", _keywords()), ("he", _HEADS)):
        for m in pattern.finditer(sentence):
            for k in range(m.start(), m.end()):
                marks[k] += tag
            if m.end() < len(sentence):
                marks[m.end()] += tag + ">"  # just after one
    kinds = "".join(map(_kind, padded))
    out = []
    for i in range(len(sentence)):
        j = i + 2
        f = ["c=" + padded[j], "p1=" + padded[j - 1], "n1=" + padded[j + 1],
             "b0=" + padded[j - 1:j + 1], "b1=" + padded[j:j + 2], "t=" + padded[i:j + 1], "u=" + padded[j:j + 3],
             "k=" + kinds[j - 1:j + 2]]
        if quoted[i]:
            f.append("q")
        if marks[i]:
            f.append("m=" + marks[i])
        if in_place[i]:
            f.append("pl")
        if in_firm[i]:
            f.append("fm")
        if staged:
            f.append("st")
        out.append(f)
    return out


def fingerprint(annotation_files: list[Path]) -> str:
    """sha256 of the training annotations, of this module (its features) and of the chain table (a
    feature): the model is stale when any changes (tests/extract/test_tagger.py checks it)."""
    from .chains import CHAINS_CSV

    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(CHAINS_CSV.read_bytes())
    for f in annotation_files:
        h.update(f.read_bytes())
    return h.hexdigest()


_LOCAL = threading.local()


def _tagger():
    """This thread's tagger (a CRFsuite tagger holds the sentence it tags: not shareable between the
    app's session threads), opened on first use."""
    tagger = getattr(_LOCAL, "tagger", None)
    if tagger is None or getattr(_LOCAL, "model", None) != MODEL:
        import pycrfsuite  # imported on first use: viewing the map never tags

        tagger = pycrfsuite.Tagger()
        tagger.open(str(MODEL))
        _LOCAL.tagger, _LOCAL.model = tagger, MODEL
    return tagger


def available() -> bool:
    """True if the trained model is present (the rules work without it)."""
    return _is_file(MODEL)


@functools.lru_cache(maxsize=8)
def _is_file(path: Path) -> bool:
    return path.is_file()  # asked once per path, not once per sentence (a stat each)


def tag_names(sentence: str, in_place: list[bool], in_firm: list[bool], staged: bool) -> list[tuple[int, int]]:
    """(start, end) of the project names the model marks in `sentence`, each character of them
    at least MIN_PROB likely to be inside a name and the span at least MIN_LEN long."""
    if not sentence or not available():
        return []
    tagger = _tagger()
    tagger.set(features(sentence, in_place, in_firm, staged))
    labels = tagger.tag()
    return [(a, b) for a, b in label_spans(labels)
            if b - a >= MIN_LEN and all(tagger.marginal(labels[k], k) >= MIN_PROB for k in range(a, b))]


_PAIRS = ("()", "（）", "“”", "《》", "「」", "[]", "【】")
_CLAUSE_MARK = re.compile(r"[，,；;。：:！？!?]")  # a name lies inside one clause
_FIRM_AFTER = re.compile(r"(?:股份)?(?:有限)?(?:责任)?公司|集团")


def plausible(sentence: str, a: int, b: int) -> bool:
    """Whether a tagged span reads as a name: inside one clause, its brackets and quotes closed inside it,
    and not the front of a firm's name (太原某某材料技术有限 | 公司)."""
    span = sentence[a:b]
    if _CLAUSE_MARK.search(span) or any(span.count(o) != span.count(c) for o, c in _PAIRS):
        return False
    return not (span.endswith("有限") or _FIRM_AFTER.match(sentence, b))


def label_spans(labels: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each name in a B/I/O labelling: a B and the I's after it."""
    spans, start = [], None
    for i, lab in enumerate([*labels, "O"]):
        if start is not None and lab != "I":
            spans.append((start, i))
            start = None
        if lab == "B":
            start = i
    return spans


def covered(n: int, spans) -> list[bool]:
    """For each of a sentence's `n` characters, whether it lies in one of `spans` ((start, end) relative to the
    sentence, clipped to it): the place and firm flags of `features`."""
    flags = [False] * n
    for a, b in spans:
        for k in range(max(a, 0), min(b, n)):
            flags[k] = True
    return flags
