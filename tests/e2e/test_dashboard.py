"""Issue 6 in Chromium: the province official reads the dashboard of every centre, drills into
one centre and downloads its yearly report PDF (DESIGN §1, §7, §9)."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from trungtam.devtools.demo.accounts import DEMO_PASSWORD
from trungtam.documents.numbers import format_number
from trungtam.models import Centre
from trungtam.reports.figures import year_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_province_reads_the_dashboard_and_drills_into_a_centre(live_server, page, artifacts):
    call_command("seed_demo", "--scale", "small", verbosity=0)
    year = datetime.date.today().year
    centres = list(Centre.objects.order_by("name"))
    assert len(centres) >= 2
    totals = year_figures([c.pk for c in centres], year).total

    console = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/tong-quan/?nam={year}")
    assert "/dang-nhap/" in page.url
    page.get_by_label("Tên đăng nhập").fill("tinh")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/tong-quan/\?nam="))

    expect(page.get_by_role("heading", name=f"Tổng quan năm {year}")).to_be_visible()
    for key, value in (
        ("opened", totals.opened),
        ("finished", totals.finished),
        ("enrolled", totals.enrolled),
        ("completed", totals.completed),
    ):
        tile = page.locator(f"[data-tile={key}]")
        expect(tile).to_be_visible()
        expect(tile.locator("[data-value]")).to_have_text(format_number(value))
    expect(page.locator("[data-tile=attendance_rate] [data-value]")).to_have_text(
        re.compile(r"^\d+,\d%$")
    )

    # One row per centre, each linking to its own page, and the totals.
    table = page.locator("[data-table=centres]")
    for centre in centres:
        expect(table.get_by_role("link", name=centre.name)).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(len(centres))
    total_row = table.locator("tfoot tr")
    expect(total_row).to_contain_text("Tổng cộng")
    expect(total_row.locator("[data-col=classes]")).to_contain_text(
        f"{format_number(totals.opened)} / {format_number(totals.planned_classes)}"
    )
    # The charts are drawn (SVG, no script library) and carry their numbers as text.
    expect(page.locator("[data-chart=lop-theo-he] tbody tr")).to_have_count(5)
    expect(page.locator("[data-chart=theo-thang] svg text").first).to_be_visible()
    page.screenshot(path=str(artifacts / "dashboard-province.png"), full_page=True)

    page.set_viewport_size({"width": 360, "height": 740})
    expect(page.locator("[data-tile=enrolled]")).to_be_visible()
    page.screenshot(path=str(artifacts / "dashboard-province-360.png"), full_page=True)
    # Nothing spills out of the page sideways at phone width (wide tables scroll in place).
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})

    # Into one centre: its own figures, then its yearly report.
    centre = centres[0]
    table.get_by_role("link", name=centre.name).click()
    page.wait_for_url(re.compile(rf"trung_tam={centre.pk}"))
    own = year_figures([centre.pk], year).total
    expect(page.locator("[data-scope]")).to_have_text(centre.name)
    expect(page.locator("[data-table=centres]")).to_have_count(0)
    expect(page.locator("[data-tile=enrolled] [data-value]")).to_have_text(
        format_number(own.enrolled)
    )
    page.screenshot(path=str(artifacts / "dashboard-centre.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="Báo cáo năm (PDF)").click()
    download = info.value
    path = artifacts / "dashboard-bao-cao-nam.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")

    assert not [m for m in console if "Content Security Policy" in m], console
