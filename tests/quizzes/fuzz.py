"""Seeded random mutations of real files, for the importers' fuzz tests (hypothesis is not
installed; a seeded loop finds the same class of crash and repeats exactly)."""

from __future__ import annotations

import random
from collections.abc import Iterator

# Pieces of every syntax the three readers know, and characters that broke them before.
SNIPPETS = [
    "{",
    "}",
    "~",
    "=",
    "#",
    "####",
    "->",
    "\\",
    "::",
    "//",
    "$CATEGORY:",
    "[html]",
    "[markdown]",
    "%50%",
    "%-",
    "{#",
    "..",
    ":",
    "\n",
    "\n\n",
    "[[",
    "]]",
    "<!--",
    "-->",
    '<!--kefu {"if": [{"kind": ',
    '"',
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "<b>",
    "</b>",
    "<![",
    "&",
    "&#0;",
    "\x00",
    "\ufeff",
    "\r",
    "\t",
    "@speaker:",
    "@mood:",
    "(set:",
    "<<",
    ">>",
    "$x",
    "|a>[",
    '{"',
    '":',
    "9" * 30,
    "1e999",
    "NaN",
    "null",
    '<question type="',
    "</question>",
    "<text>",
    "</text>",
    "<![CDATA[",
    "]]>",
    '<answer fraction="',
    "</quiz>",
    ":: ",
    "[ending pass]",
    "[kefu-setting]",
    "{>",
    "=1 -> ",
    "// [ordering]",
    "// [rubric] 3 | ",
    "// [template] ",
    "// [case-sensitive]",
    "// [tag:",
    "T",
    "FALSE",
    "1:MULTICHOICE:",
    "\ue000",
    "\uffff",
    "文字",
    " ",
]


def mutate(text: str, rnd: random.Random) -> str:
    """`text` with one to six random edits: snippets inserted (once or hundreds of times),
    spans deleted, repeated or cut off, characters replaced."""
    chars = list(text)
    for _ in range(rnd.randint(1, 6)):
        pos = rnd.randint(0, len(chars))
        roll = rnd.random()
        if roll < 0.35:
            chars[pos:pos] = list(rnd.choice(SNIPPETS))
        elif roll < 0.6 and chars:
            del chars[pos : pos + rnd.randint(1, 40)]
        elif roll < 0.75 and chars:
            chars[pos:pos] = chars[pos : pos + rnd.randint(1, 200)] * rnd.randint(1, 5)
        elif roll < 0.85 and chars:
            chars[min(pos, len(chars) - 1)] = chr(rnd.randint(0, 0x3000))
        elif roll < 0.92:
            del chars[pos:]
        else:
            # Thousands of one piece: deep nesting, long runs of one character.
            chars[pos:pos] = list(rnd.choice(SNIPPETS) * rnd.choice((2, 30, 300, 3000)))
    return "".join(chars)


def mutants(originals: list[str], *, seed: int, count: int) -> Iterator[str]:
    rnd = random.Random(seed)
    for _ in range(count):
        yield mutate(rnd.choice(originals), rnd)
