// A box that scrolls sideways (a wide table on a phone) must be reachable and named for people
// who use the keyboard or a screen reader (WCAG 2.1.1, axe "scrollable-region-focusable"): while
// it scrolls it takes tabindex="0" and role="region" named after its table's caption or the
// heading above it; when it fits again it gives them back. Loaded by base.html on every page.
(function () {
  "use strict";
  var SELECTOR = ".table-responsive, .overflow-auto, .overflow-x-auto";

  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (var el = box; el && el !== document.body; el = el.parentElement) {
      for (var prev = el.previousElementSibling; prev; prev = prev.previousElementSibling) {
        var heading = prev.matches("h1, h2, h3, h4, h5, h6") ? prev : null;
        if (!heading) {
          var inner = prev.querySelectorAll("h1, h2, h3, h4, h5, h6");
          heading = inner.length ? inner[inner.length - 1] : null;
        }
        if (heading && heading.textContent.trim()) return heading.textContent.trim();
      }
    }
    return "Bảng";
  }

  function update() {
    document.querySelectorAll(SELECTOR).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      var ours = box.hasAttribute("data-scroll-region");
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-region", "");
        if (!box.hasAttribute("role")) box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", nameOf(box) + " (cuộn ngang để xem hết)");
        }
      } else if (!scrolls && ours) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-region");
      }
    });
  }

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
