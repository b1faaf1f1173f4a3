"""The serif font embedded in every PDF: Tinos (Times New Roman metrics, full Vietnamese glyphs; Apache 2.0)."""

from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"
SERIF = "TrungtamSerif"
SERIF_BOLD = "TrungtamSerif-Bold"
SERIF_ITALIC = "TrungtamSerif-Italic"
SERIF_BOLD_ITALIC = "TrungtamSerif-BoldItalic"

_FILES = {
    SERIF: "Tinos-Regular.ttf",
    SERIF_BOLD: "Tinos-Bold.ttf",
    SERIF_ITALIC: "Tinos-Italic.ttf",
    SERIF_BOLD_ITALIC: "Tinos-BoldItalic.ttf",
}


def register_fonts() -> str:
    """Register the family once per process; returns the regular font's name."""
    if SERIF not in pdfmetrics.getRegisteredFontNames():
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
        addMapping(SERIF, 0, 0, SERIF)
        addMapping(SERIF, 1, 0, SERIF_BOLD)
        addMapping(SERIF, 0, 1, SERIF_ITALIC)
        addMapping(SERIF, 1, 1, SERIF_BOLD_ITALIC)
    return SERIF
