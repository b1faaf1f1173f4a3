"""Where the signer signs on a printed page, so a digital signature's visible box sits there.

`pdf.signature_block()` leaves a row of room (Signer.space) under the signer's title. A
`SignaturePlace` mark appended right after that block remembers, while reportlab draws the
page, the page number and the rectangle of the last signer's room; the builder then hands
`place.box` and `place.page` to the signing (`trungtam.signing.sign_pdf(box=…, page=…)`).

    block = pdf.signature_block([signer], width=width, recipients=…)
    place = SignaturePlace(block)
    story += [KeepTogether(block + [place])]
    … build …
    place.box, place.page      # (x1, y1, x2, y2) in points, 0-based page; None before drawing
"""

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

# The box keeps clear of the title above and the name below, and of the column's edges.
INSET = 1.5 * mm


class SignaturePlace(Flowable):
    """A zero-size mark drawn right after a signature block; see the module's docstring."""

    def __init__(self, block: list[Flowable]):
        super().__init__()
        tables = [item for item in block if isinstance(item, Table)]
        self.table = tables[-1] if tables else None
        self.box: tuple[float, float, float, float] | None = None
        self.page: int | None = None

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        if self.table is None:
            return
        rows = getattr(self.table, "_rowpositions", None)
        columns = getattr(self.table, "_colpositions", None)
        if not rows or not columns or len(rows) < 4:
            return
        left, bottom = self.canv.absolutePosition(0, 0)
        # The block is as wide as the frame, so its columns start at the mark's left edge.
        x1 = left + columns[-2] + INSET
        x2 = left + columns[-1] - INSET
        # _rowpositions run from the table's top (its height) down to 0: titles, room, names.
        y1 = bottom + rows[2] + INSET
        y2 = bottom + rows[1] - INSET
        self.box = (x1, y1, x2, y2)
        self.page = self.canv.getPageNumber() - 1
