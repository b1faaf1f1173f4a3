"""Issue 14, item 12: no page scrolls sideways on a phone (360 px), for any role (DESIGN §10).

Wide tables may scroll inside their .table-responsive box; the page itself never does."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.pages import ROLES, demo_world, pages_by_role, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# A table that scrolls inside its box must be reachable from the keyboard (WCAG 2.1.1): on a
# phone, where they scroll, static/js/scroll-regions.js makes them focusable and names them.
SCROLL_REGIONS = {
    "runOnly": {"type": "rule", "values": ["scrollable-region-focusable"]},
    "resultTypes": ["violations"],
}
WIDTHS = "[document.documentElement.scrollWidth, window.innerWidth]"
# What sticks out past the right edge without a scroll box to hold it, to name it in a failure:
# elements outside any box that clips, and absolutely placed ones (they escape a box that is not
# their containing block — Bootstrap's .visually-hidden in a .table-responsive did).
CULPRITS = """() => {
  const width = window.innerWidth;
  const clipper = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return a;
    }
    return null;
  };
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .filter((el) => !clipper(el) || getComputedStyle(el).position === "absolute")
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : "") + " «" + el.textContent.trim().slice(0, 30) + "»");
}"""


def test_no_page_scrolls_sideways_at_360_px(live_server, browser, artifacts):
    world = demo_world()
    pages = pages_by_role(world)
    wide = []
    unreachable = []
    swept = 0
    axe = Axe()
    for role, (_, column) in ROLES.items():
        context = browser.new_context(locale="vi-VN", viewport=PHONE)
        sign_in(context, live_server, world.users[column])
        page = context.new_page()
        page.set_default_timeout(15000)
        for item in pages[role]:
            page.goto(live_server.url + item.url)
            swept += 1
            scroll_width, window_width = page.evaluate(WIDTHS)
            if scroll_width > window_width:
                shot = artifacts / f"360-{role}-{item.name.replace(':', '-')}.png"
                page.screenshot(path=str(shot), full_page=True)
                wide.append(
                    f"{role} {item.url} ({item.name}): {scroll_width} px > {window_width} px; "
                    f"{', '.join(page.evaluate(CULPRITS))}"
                )
            for violation in axe.run(page, options=SCROLL_REGIONS).response["violations"]:
                targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
                unreachable.append(f"{role} {item.url} ({item.name}): {targets}")
        context.close()
    counts = {role: len(items) for role, items in pages.items()}
    print(f"360 px: {swept} pages × roles swept: {counts}")
    assert swept > 100
    assert not wide, "pages wider than a 360 px phone:\n" + "\n".join(wide)
    assert not unreachable, "boxes that scroll but cannot be reached by keyboard:\n" + "\n".join(
        unreachable
    )
