"""Signing a PDF with the centre's key: PAdES B-B, or B-T when SIGNING_TSA_URL is set.

    from trungtam.signing import sign_pdf, signing_enabled
    if signing_enabled():
        content = sign_pdf(content, reason="Cấp giấy chứng nhận", location="Phú Lợi",
                           box=(340, 60, 560, 120), page=-1)

The signature is an incremental update: the bytes before it are the document as built, and the
signed file is new bytes every time (the signing time is inside), so the caller stores what it got.
Signing many documents in one job: open the key once with `signing_session()`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from django.utils import timezone

from trungtam.documents.fonts import FONT_DIR
from trungtam.signing.config import SigningConfig, current_config
from trungtam.signing.keys import OpenKey, SigningRefused, open_key, subject_name
from trungtam.signing.loop import outside_event_loop

STAMP_FONT = FONT_DIR / "Tinos-Regular.ttf"
# pyHanko writes the embedded font's glyph widths in the font's own units while PDF reads them as
# thousandths of an em: a font of 2048 units per em (Tinos) comes out letter-spaced and cut off.
# The stamp uses a copy of Tinos scaled to 1000 units per em, made once per machine.
STAMP_UNITS_PER_EM = 1000
STAMP_TEXT = "Người ký: %(who)s\nNgày ký: %(when)s"
# Used when the appearance is visible and the caller names no box: bottom right of the page,
# inside the right margin (15 mm) and above the bottom one (20 mm) of the administrative layout.
DEFAULT_BOX_SIZE = (220, 56)
RIGHT_MARGIN = 42.5
BOTTOM_MARGIN = 56.7
FIELD_PREFIX = "ChuKySo"


def stamp_font() -> Path:
    """The stamp's font file: Tinos scaled to 1000 units per em, cached in the temp directory
    under a name that changes with the source font (written atomically, so workers may race)."""
    source = STAMP_FONT.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"trungtam-stamp-{digest}-{STAMP_UNITS_PER_EM}.ttf"
    if not target.exists():
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.scaleUpem import scale_upem

        font = TTFont(BytesIO(source))
        scale_upem(font, STAMP_UNITS_PER_EM)
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".ttf", delete=False) as part:
            font.save(part)
        os.replace(part.name, target)
    return target


class SigningSession:
    """An open key that signs one document after another (see signing_session())."""

    def __init__(self, key: OpenKey, config: SigningConfig):
        self.key = key
        self.config = config
        self.signer_name = subject_name(key.certificate)
        self._timestamper = None
        if config.tsa_url:
            from pyhanko.sign.timestamps import HTTPTimeStamper

            self._timestamper = HTTPTimeStamper(config.tsa_url, timeout=15)
        self._stamp_style = None

    def stamp_style(self):
        if self._stamp_style is None:
            from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
            from pyhanko.pdf_utils.text import TextBoxStyle
            from pyhanko.stamp import TextStampStyle

            self._stamp_style = TextStampStyle(
                stamp_text=STAMP_TEXT,
                text_box_style=TextBoxStyle(
                    font=GlyphAccumulatorFactory(str(stamp_font()), font_size=9)
                ),
                border_width=1,
                border_color=(0.55, 0.0, 0.0),
                background=None,
            )
        return self._stamp_style

    def sign(
        self,
        pdf: bytes,
        *,
        reason: str,
        location: str,
        box: tuple | None = None,
        page: int = 0,
    ) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.pdf_utils.misc import PdfError
        from pyhanko.sign import fields, signers
        from pyhanko.sign.general import SigningError
        from pyhanko.sign.timestamps import TimestampRequestError

        try:
            writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
            existing = list(fields.enumerate_sig_fields(writer.prev))
        except (PdfError, ValueError, TypeError, KeyError):
            raise SigningRefused("Tệp cần ký không phải PDF hợp lệ.") from None
        field_name = f"{FIELD_PREFIX}{len(existing) + 1}"
        visible = self.config.appearance == "visible"
        if visible and box is None:
            box = self._default_box(writer, page)
        spec = fields.SigFieldSpec(
            sig_field_name=field_name,
            on_page=page,
            box=tuple(int(round(v)) for v in box) if visible else None,
        )
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            reason=reason,
            location=location,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
        )
        pdf_signer = signers.PdfSigner(
            meta,
            signer=self.key.signer,
            timestamper=self._timestamper,
            stamp_style=self.stamp_style() if visible else None,
            new_field_spec=spec,
        )
        when = timezone.localtime(timezone.now()).strftime("%d/%m/%Y %H:%M")
        try:
            output = outside_event_loop(
                pdf_signer.sign_pdf,
                writer,
                appearance_text_params={"who": self.signer_name, "when": when},
            )
        except TimestampRequestError:
            raise SigningRefused(
                f"Không lấy được dấu thời gian từ {self.config.tsa_url} (SIGNING_TSA_URL): "
                "máy chủ dấu thời gian không trả lời hoặc trả lời sai."
            ) from None
        except SigningError as error:
            raise SigningRefused(f"Ký không thành công: {error}") from None
        return output.getvalue()

    def _default_box(self, writer, page: int) -> tuple[float, float, float, float]:
        try:
            page_ref, _ = writer.find_page_for_modification(page)
            x0, y0, x1, _ = (float(v) for v in page_ref.get_object()["/MediaBox"])
        except (KeyError, IndexError, ValueError, TypeError):
            raise SigningRefused(f"Tài liệu không có trang {page + 1} để đặt chữ ký.") from None
        width, height = DEFAULT_BOX_SIZE
        right = x1 - RIGHT_MARGIN
        bottom = y0 + BOTTOM_MARGIN
        return (max(x0, right - width), bottom, right, bottom + height)


@contextmanager
def signing_session(config: SigningConfig | None = None) -> Iterator[SigningSession]:
    """Open the configured key once (checked: SigningRefused when it may not sign)."""
    config = config or current_config()
    with open_key(config) as key:
        yield SigningSession(key, config)


def sign_pdf(
    pdf: bytes,
    *,
    reason: str,
    location: str,
    box: tuple | None = None,
    page: int = 0,
) -> bytes:
    """Sign one PDF with the configured key; SigningRefused (nothing signed) when it cannot.

    box: (x1, y1, x2, y2) in points from the bottom left of `page` (negative counts from the end);
    ignored when SIGNING_APPEARANCE=invisible.
    """
    with signing_session() as session:
        return session.sign(pdf, reason=reason, location=location, box=box, page=page)
