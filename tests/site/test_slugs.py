"""academy.slugs: Chinese titles become pinyin slugs a person can read in the address bar."""

import pytest
from academy.slugs import is_readable, readable_slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("服务礼仪", "fu-wu-li-yi"),
        ("三声之内接起电话", "san-sheng-zhi-nei-jie-qi-dian-hua"),
        # Latin letters and digits stay, lower case; full-width forms are folded
        ("第１课 SOP 流程", "di-1-ke-sop-liu-cheng"),
        ("Ｈｅｌｌｏ World_2", "hello-world-2"),
        ("Café 服务", "cafe-fu-wu"),
        # punctuation separates words, never doubles a hyphen
        ("报修：三次——没人来！", "bao-xiu-san-ci-mei-ren-lai"),
        # a polyphonic character read in context
        ("银行", "yin-hang"),
        ("长大", "zhang-da"),
        # a slug typed in Chinese with a number suffix
        ("服务礼仪-2", "fu-wu-li-yi-2"),
        ("already-ascii", "already-ascii"),
        # nothing to spell in Latin letters
        ("！？…", ""),
        ("ねこ", ""),
        ("", ""),
    ],
)
def test_readable_slug(text, slug):
    assert readable_slug(text) == slug


def test_a_long_title_is_cut_between_words():
    slug = readable_slug("报修三次没人来：楼上渗水的业主找到前台", max_length=30)
    assert slug == "bao-xiu-san-ci-mei-ren-lai-lou"
    assert len(slug) <= 30 and not slug.endswith("-")
    assert readable_slug("x" * 80, max_length=50) == "x" * 50


def test_only_ascii_slugs_are_readable():
    assert is_readable("fu-wu-li-yi")
    assert not is_readable("服务礼仪")
    assert not is_readable("")
