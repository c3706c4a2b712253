// Wide tables scroll sideways on a phone; a scrolling box must also be reachable from the
// keyboard (and named for screen readers), so each one gets tabindex and a Thai label.
(function () {
  function mark(root) {
    root.querySelectorAll(".jp-RenderedHTMLCommon table, .termtem-scroll").forEach(function (el) {
      if (el.hasAttribute("tabindex")) { return; }
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", "ตาราง เลื่อนไปทางขวาเพื่อดูคอลัมน์ที่เหลือ");
    });
  }
  function start() {
    mark(document);
    new MutationObserver(function () { mark(document); })
      .observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
