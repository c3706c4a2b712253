"""Check the built book (run after `jupyter-book build`): pages exist, activity pages show their figures and Thai
teaching sections, nothing is loaded from another site at view time, and the book speaks Thai to its reader:

* every ``<img>`` in every built page has Thai alt text that is not a file name or path;
* no admonition title is in English (``<p class="admonition-title">Note</p>``);
* every page is marked as Thai (``<html lang="th">``), so a screen reader and the browser read it as Thai;
* none of the themes' English interface labels (Search, previous page, Toggle hidden content...) is left in the
  visible text or in a ``title``/``aria-label``/``placeholder`` attribute.

Usage: ``python tools/check_built_book.py [_build/html]``; exit status 1 and one line per problem on stderr.
"""

from __future__ import annotations

import base64
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

HTML = Path("_build/html")
PAGES = ["book/welcome.html", "book/concepts/petal_model.html", "book/concepts/journey_of_services.html",
         "activities/03_petal_analysis.html", "activities/10_journey_of_services_1.html",
         "activities/11_journey_of_services_2.html", "activities/12_parent_communication.html",
         "book/reference/data_schema.html", "book/reference/architecture.html", "search.html"]
# Each activity page must show its figures and its Thai teaching sections.
ACTIVITY_PHRASES = {
    "activities/03_petal_analysis.html": ("วิเคราะห์ภาวะคุกคาม 4 มิติ", "บันทึกสำหรับวิทยากร", "คำถามชวนคิด"),
    "activities/10_journey_of_services_1.html": ("การพัฒนาแผนผังบริการ (1)", "บันทึกสำหรับวิทยากร", "คำถามชวนคิด"),
    "activities/11_journey_of_services_2.html": ("การพัฒนาแผนผังบริการ (2)", "บันทึกเหตุการณ์", "คำถามชวนคิด"),
    "activities/12_parent_communication.html": ("สื่อประสานกับผู้ปกครอง", "บัตรแผนสำหรับผู้ปกครอง", "แผนผังบริการฉบับเต็ม"),
}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HTML_LANG_TH = re.compile(r"""<html\b[^>]*\blang=["']th["']""", re.I)
REMOTE = re.compile(r"""<(script|link|img|iframe)[^>]+(src|href)=["'](https?:)?//""", re.I)
THAI = re.compile(r"[\u0E00-\u0E7F]")
LATIN = re.compile(r"[A-Za-z]")
# An alt text that names a file rather than describing the figure.
# A path is an ASCII token with a slash (images/flower.png, /tmp/x); Thai words joined by a slash
# ("ส่งต่อ/แจ้งเรื่อง") are ordinary text.
FILE_LIKE = re.compile(r"[A-Za-z0-9_.~-]*[/\\][A-Za-z0-9_.~/\\-]+|_build|\.(png|jpe?g|svg|gif|webp|pdf)\b", re.I)
# English interface labels Sphinx and the themes show when a Thai translation is missing. A text or attribute
# that equals one of these (case and surrounding space ignored) is a problem.
ENGLISH_UI = {
    "search", "search this book...", "search the docs ...", "search results", "searching", "preparing search...",
    "please activate javascript to enable the search functionality.", "hide search matches",
    "previous", "next", "previous page", "next page", "previous topic", "next topic",
    "contents", "table of contents", "on this page", "skip to main content", "back to top",
    "note", "tip", "warning", "important", "see also", "attention", "caution", "danger", "error", "hint",
    "toggle hidden content", "toggle primary sidebar", "toggle secondary sidebar", "toggle navigation",
    "click to show", "click to hide", "click to expand", "click to collapse",
    "download this page", "download source file", "download notebook file", "print to pdf", "fullscreen mode",
    "color mode", "light", "dark", "system settings", "site navigation", "section navigation", "main", "page",
    "link to this heading", "link to this image", "link to this table", "link to this code", "index",
    "by", "copyright",
}
# English labels that start a longer text ("© Copyright 2569.", "Last updated on ...", "By the team").
ENGLISH_UI_PREFIX = re.compile(r"^(©\s*copyright\b|copyright\b|last updated\b|by\s|theme by\b|edit on\b)", re.I)
LABEL_ATTRIBUTES = ("title", "aria-label", "placeholder", "data-bs-title", "data-toggle-hint")
# Text inside these elements is code, keyboard keys or script, not an interface label.
SKIP_TEXT_IN = {"script", "style", "pre", "code", "kbd", "samp", "svg", "math"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images: list[dict[str, str | None]] = []
        self.admonition_titles: list[str] = []
        self.labels: list[tuple[str, str]] = []  # (where, text)
        self._stack: list[str] = []
        self._title_depth: int | None = None
        self._title_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a)
        for name in LABEL_ATTRIBUTES:
            if a.get(name):
                self.labels.append((f'<{tag} {name}="...">', a[name]))
        if tag in VOID:
            return
        self._stack.append(tag)
        classes = (a.get("class") or "").split()
        if self._title_depth is None and "admonition-title" in classes:
            self._title_depth, self._title_text = len(self._stack), []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self._stack:
            return
        while self._stack:
            closed = self._stack.pop()
            if self._title_depth is not None and len(self._stack) < self._title_depth:
                self.admonition_titles.append(" ".join("".join(self._title_text).split()))
                self._title_depth = None
            if closed == tag:
                break

    def handle_data(self, data):
        if self._title_depth is not None:
            self._title_text.append(data)
        if SKIP_TEXT_IN.intersection(self._stack) or not data.strip():
            return
        self.labels.append(("text", data))


def check_html(text: str, page: str) -> list[str]:
    """Problems a Thai reader would meet on one built page: alt texts, admonition titles, English labels."""
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    problems = []
    for img in parser.images:
        alt, src = img.get("alt"), (img.get("src") or "?")[:60]
        if alt is None or not alt.strip():
            problems.append(f"{page}: image {src} has no alt text")
        elif FILE_LIKE.search(alt):
            problems.append(f"{page}: image {src} has a file name as alt text ({alt[:60]!r})")
        elif not THAI.search(alt):
            problems.append(f"{page}: image {src} has alt text without Thai ({alt[:60]!r})")
    for title in parser.admonition_titles:
        if LATIN.search(title) and not THAI.search(title):
            problems.append(f"{page}: admonition title in English ({title[:60]!r})")
    seen = set()
    for where, label in parser.labels:
        norm = " ".join(label.split())
        if not norm or (where, norm) in seen:
            continue
        # "By <Thai author>" still starts with an English label; otherwise any Thai means it is translated.
        if ENGLISH_UI_PREFIX.match(norm) or (not THAI.search(norm) and norm.lower() in ENGLISH_UI):
            seen.add((where, norm))
            problems.append(f"{page}: English interface label {norm[:60]!r} ({where})")
    if "togglebutton.js" in text and 'setAttribute("aria-label", hint)' not in text:
        problems.append(f"{page}: collapsible notes keep togglebutton's English aria-label (thai_ui not loaded)")
    return problems


def built_pages(html: Path) -> list[Path]:
    """Every page a reader can open: all HTML files except the theme's and Sphinx's own folders."""
    return sorted(p for p in html.rglob("*.html")
                  if not {"_static", "_sources", "_images"}.intersection(p.relative_to(html).parts))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    html = Path(args[0]) if args else HTML
    problems = []
    for page in PAGES:
        path = html / page
        if not path.exists():
            problems.append(f"{path} was not built")
    pages = built_pages(html)
    for path in pages:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(html).as_posix()
        if not HTML_LANG_TH.search(text):
            problems.append(f'{rel}: not marked as Thai (no <html lang="th">)')
        for match in REMOTE.finditer(text):
            problems.append(f"{rel}: loads {match.group(0)[:80]}... from another site (workshops run offline)")
        problems.extend(check_html(text, rel))
    for page, phrases in ACTIVITY_PHRASES.items():
        activity = html / page
        if not activity.exists():
            continue
        text = activity.read_text(encoding="utf-8")
        images = re.findall(r'<img[^>]+src="([^"]+\.png)"', text)
        # Figures shown by simulator.figures.show() are inline PNGs inside <figure class="termtem-figure">.
        inline = re.findall(r'<figure class="termtem-figure">\s*<img[^>]+src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
        if not images and not inline:
            problems.append(f"{page}: no figure")
        for src in images:
            if not (activity.parent / src).resolve().exists():
                problems.append(f"{page}: image {src} is missing")
        for data in inline:
            if not base64.b64decode(data[:24] + "=" * (-len(data[:24]) % 4)).startswith(PNG_SIGNATURE):
                problems.append(f"{page}: an inline figure is not a PNG image")
        for phrase in phrases:
            if phrase not in text:
                problems.append(f"{page}: lacks {phrase}")
    for p in problems:
        print("book check:", p, file=sys.stderr)
    print(f"book check: {len(pages)} pages, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
