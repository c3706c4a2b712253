"""The built book (make book-strict) on a phone and on a laptop: Thai pages in Sarabun that fit
the screen, fetch nothing from another site, log no error, and pass axe-core on our content."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.workshop import phone

BOOK = Path(__file__).resolve().parents[2] / "_build" / "html"
SKIP = {"genindex.html", "search.html", "index.html"}  # Sphinx's own pages; index.html only redirects
PAGES = sorted(str(p.relative_to(BOOK)) for p in BOOK.rglob("*.html")
               if p.name not in SKIP and not str(p.relative_to(BOOK)).startswith(("_", ".")))


def test_the_book_has_its_pages():
    assert len(PAGES) >= 10, f"built book has only {PAGES}: run make book-strict first"


@pytest.mark.parametrize("viewport", [phone.PHONE, phone.DESKTOP], ids=["412px", "1280px"])
@pytest.mark.parametrize("page_path", PAGES)
def test_a_book_page_reads_well_offline(book_url, make_phone, viewport, page_path):
    p = make_phone(viewport)
    p.page.goto(book_url + page_path, wait_until="networkidle")
    assert p.page.evaluate("document.documentElement.lang") == "th"
    p.page.evaluate("document.fonts.ready")
    fonts = phone.used_fonts(p.page, "article.bd-article h1")
    assert set(fonts) == {"Sarabun"}, f"heading drawn in {fonts}"
    fonts = phone.used_fonts(p.page, "article.bd-article p:not(:has(code))")
    assert set(fonts) <= {"Sarabun"}, f"text drawn in {fonts}"
    if viewport["width"] < 800:
        assert p.horizontal_overflow() <= 1, "the page is wider than the phone"
    wide = p.page.evaluate(
        """() => [...document.querySelectorAll('article.bd-article img')]
            .filter(i => i.offsetParent !== null && i.getBoundingClientRect().width > i.parentElement.getBoundingClientRect().width + 1)
            .map(i => i.alt.slice(0, 40))""")
    assert wide == [], f"figures wider than their column: {wide}"
    p.screenshot("book-" + page_path.replace("/", "-").removesuffix(".html"))
    p.assert_clean()
    problems = p.axe_serious("article.bd-article")
    assert problems == [], "serious accessibility problems in our content: " + "; ".join(problems)
