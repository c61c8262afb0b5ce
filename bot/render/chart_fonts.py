"""The fonts and the shaping that the chart's words need in each UN language.

matplotlib's bundled DejaVu Sans draws Latin and Cyrillic, not Arabic or Chinese: the
chart names a fallback list of families (matplotlib >= 3.6 takes glyphs from the next font
when one lacks them), set per figure so nothing global changes. Agg neither joins Arabic
letters nor orders them right to left: PNG text is shaped here (arabic-reshaper) and put in
display order (python-bidi). SVG text is left alone: the browser shapes it.
"""

import logging
from contextlib import AbstractContextManager
from functools import cache

import matplotlib
from arabic_reshaper import reshape
from bidi import get_display
from matplotlib import font_manager

log = logging.getLogger(__name__)

BASE_FAMILY = "DejaVu Sans"  # matplotlib's own: Latin, Cyrillic, digits
# language -> the family that draws its script, and the Debian package that ships it
SCRIPT_FONTS = {
    "ar": ("Noto Sans Arabic", "fonts-noto-core"),
    "zh": ("Noto Sans CJK SC", "fonts-noto-cjk"),
}
RIGHT_TO_LEFT = frozenset({"ar"})
_warned: set[str] = set()  # packages already named in a warning: one warning each


@cache
def font_available(family: str) -> bool:
    try:
        font_manager.findfont(family, fallback_to_default=False)
    except ValueError:
        return False
    return True


def font_families() -> list[str]:
    """The fallback list for font.family: the base font, then every script font found."""
    return [BASE_FAMILY, *(family for family, _ in SCRIPT_FONTS.values()
                           if font_available(family))]


def fonts_for_chart() -> AbstractContextManager[None]:
    """matplotlib's settings while one chart is drawn: the fallback list of families."""
    return matplotlib.rc_context({"font.family": font_families()})


def can_draw(language: str) -> bool:
    """Whether this machine has the font `language`'s words need; if not, one warning names
    the package to install (the chart then keeps English words rather than empty boxes)."""
    if language not in SCRIPT_FONTS:
        return True
    family, package = SCRIPT_FONTS[language]
    if font_available(family):
        return True
    if package not in _warned:
        _warned.add(package)
        log.warning("font %r is missing: charts in %r keep English words; install the "
                    "Debian package %s", family, language, package)
    return False


def shaped(text: str, language: str) -> str:
    """`text` as Agg must draw it: Arabic letters joined and each line in display order."""
    if language not in RIGHT_TO_LEFT:
        return text
    return "\n".join(get_display(reshape(line)) for line in text.split("\n"))
