// A table that scrolls sideways must be reachable and named for keyboard and screen-reader
// users: give each one in the article tabindex and a Thai label.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("article.bd-article table").forEach(function (table) {
    if (!table.hasAttribute("tabindex")) {
      table.setAttribute("tabindex", "0");
      table.setAttribute("role", "region");
      table.setAttribute("aria-label", "ตาราง เลื่อนไปทางขวาเพื่อดูคอลัมน์ที่เหลือ");
    }
  });
});
