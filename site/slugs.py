"""Readable slugs: the part of a URL that names a page or a scenario.

Titles here are Chinese. Wagtail's default slug keeps the Chinese characters, which the
address bar, a pasted link or a WeCom message shows as ``%E6%9C%8D%E5%8A%A1…``: unreadable,
and three times as long. So a slug is ASCII: Chinese becomes pinyin without tones, one
syllable per word (``服务礼仪`` → ``fu-wu-li-yi``), Latin letters and digits stay
(lower case, full-width forms folded: ``第１课 SOP`` → ``di-1-ke-sop``), everything else
separates words. The result is cut at a word boundary to ``max_length`` characters. An empty
result means the text had nothing to spell (only punctuation or another script): the
caller falls back to its own default.

Pure: no Django models, no request. Polyphonic characters are read as pypinyin's phrase
dictionary reads them in context (``银行`` → ``yin-hang``); a trainer who wants a different
reading, or a short English slug, types it.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.text import slugify
from pypinyin import lazy_pinyin

DEFAULT_MAX_LENGTH = 50
# CJK Unified Ideographs with extension A, compatibility ideographs, extensions B–F.
HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+)")


def is_readable(slug: str) -> bool:
    """Whether a slug is already one this module would accept as it is (ASCII only)."""
    return bool(slug) and slug.isascii()


def readable_slug(text: str, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """`text` (a title, or a slug typed in Chinese) as an ASCII slug of at most
    `max_length` characters; "" when nothing in it can be spelt in Latin letters."""
    words: list[str] = []
    for n, run in enumerate(HAN_RUN.split(unicodedata.normalize("NFKC", text))):
        if n % 2:  # a run of Chinese characters, read together for polyphones
            words.extend(syllable for syllable in lazy_pinyin(run) if syllable.isascii())
        else:
            words.extend(word for word in slugify(run).replace("_", "-").split("-") if word)
    return _cut(words, max_length)


def _cut(words: list[str], max_length: int) -> str:
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > max_length:
            return slug or word[:max_length]
        slug = longer
    return slug
