// Termtem training kit: tap (or press Enter on) a figure to open it full size; tap, "ปิด" or Esc closes.
// Works offline: no libraries, nothing fetched.
(function () {
  "use strict";
  var OPEN_LABEL = "เปิดภาพขนาดเต็ม: ";
  var OPEN_HINT = "แตะที่ภาพเพื่อเปิดขนาดเต็ม";
  var CLOSE_TEXT = "ปิด";
  var CLOSE_LABEL = "ปิดภาพขนาดเต็ม";

  function open(img) {
    var box = document.createElement("div");
    box.className = "termtem-lightbox";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-label", img.alt || CLOSE_LABEL);
    var big = document.createElement("img");
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = CLOSE_TEXT;
    close.setAttribute("aria-label", CLOSE_LABEL);
    box.appendChild(close);
    box.appendChild(big);
    var back = document.activeElement;
    function shut() {
      document.removeEventListener("keydown", onKey);
      box.remove();
      if (back && back.focus) back.focus();
    }
    function onKey(e) { if (e.key === "Escape") shut(); }
    box.addEventListener("click", shut);
    document.addEventListener("keydown", onKey);
    document.body.appendChild(box);
    close.focus();
  }

  function prepare(img) {
    if (img.dataset.termtemZoom) return;
    img.dataset.termtemZoom = "1";
    img.tabIndex = 0;
    img.setAttribute("role", "button");
    img.setAttribute("aria-label", OPEN_LABEL + (img.alt || ""));
    img.title = OPEN_HINT;
    img.addEventListener("click", function () { open(img); });
    img.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(img); }
    });
  }

  function init() {
    document.querySelectorAll("figure.termtem-figure img").forEach(prepare);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
