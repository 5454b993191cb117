"""Traditional → simplified Chinese characters with OpenCC, keeping every character offset.

Pages mirrored through big5 gateways or reposted in Hong Kong and Taiwan arrive in traditional
characters; the gazetteer, the chain keywords and the cue words are simplified. OpenCC (the
maintained converter, phrase-aware) does the conversion; we only decide *whether* a text is
traditional and keep the result the same length as the input, so that a record's offsets point
into the original text as well (records keep the original sentence for provenance).
"""
from __future__ import annotations

import functools
import re

_CJK = re.compile(r"[\u4e00-\u9fff]")
# A text is traditional when at least this share of its CJK characters (and at least
# MIN_CHANGED of them) change under t2s. Simplified text changes in a handful of variant
# characters at most (於, 乾 …); traditional text changes in a quarter or more.
MIN_SHARE = 0.03
MIN_CHANGED = 3


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc  # noqa: PLC0415 - loaded on first use: most articles never need it

    return opencc.OpenCC("t2s")


def _same_length(text: str) -> str:
    """t2s of `text`, line by line; a line whose phrase conversion changes its length (rare) is
    converted character by character instead."""
    convert = _converter().convert
    lines = text.split("\n")
    out = []
    for line in lines:
        converted = convert(line)
        if len(converted) != len(line):
            converted = "".join(c if len(c) == 1 else ch for ch, c in ((ch, convert(ch)) for ch in line))
        out.append(converted)
    return "\n".join(out)


def to_simplified(text: str) -> tuple[str, bool]:
    """(text in simplified characters, whether it was traditional). Simplified input comes back
    unchanged (not even its variant characters are touched); the result always has the same
    length as `text`."""
    if not text or not _CJK.search(text):
        return text, False
    converted = _same_length(text)
    changed = sum(a != b for a, b in zip(text, converted))
    cjk = len(_CJK.findall(text))
    if changed >= MIN_CHANGED and changed >= MIN_SHARE * cjk:
        return converted, True
    return text, False
