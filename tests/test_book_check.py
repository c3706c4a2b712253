"""The book speaks Thai to its reader, and the built-book check catches what does not.

Mirrors `tools/check_built_book.py` (run by `make test` after the strict build), the Thai interface catalogue in
`locale/` with its Sphinx extension `locale/_ext/thai_ui.py`, and the welcome page's table of activities.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PO = REPO / "locale" / "th" / "LC_MESSAGES" / "sphinx.po"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _load("check_built_book", REPO / "tools" / "check_built_book.py")
thai_ui = _load("thai_ui", REPO / "locale" / "_ext" / "thai_ui.py")

GOOD_PAGE = """<!DOCTYPE html><html lang="th"><head><title>หน้า</title>
<link rel="search" title="ค้นหา" href="../search.html" /></head><body>
<a class="skip-link" href="#main-content">ข้ามไปยังเนื้อหาหลัก</a>
<input type="search" placeholder="ค้นหาในหนังสือเล่มนี้..." aria-label="ค้นหาในหนังสือเล่มนี้..." />
<button title="แสดงหรือซ่อนสารบัญของเล่ม"><span class="fa-solid fa-bars"></span></button>
<h1>กิจกรรม 3<a class="headerlink" href="#a" title="ลิงก์มายังหัวข้อนี้">#</a></h1>
<div class="admonition note"><p class="admonition-title">หมายเหตุ</p><p>ข้อความ</p></div>
<div class="admonition dropdown"><p class="admonition-title">บันทึกสำหรับวิทยากร (instructor notes)</p></div>
<details class="admonition hide above-input"><summary>
<p class="collapsed admonition-title">แสดงส่วนที่ซ่อนไว้ (source)</p>
<p class="expanded admonition-title">ซ่อน (source)</p></summary></details>
<figure><img alt="กลีบดอกของครอบครัว HH0000007: มิติสุขภาพของเด็กเป็นสีแดง" src="../_images/abc.png" /></figure>
<pre><span>Note</span> = "Search"</pre><code>Next</code><kbd>Ctrl</kbd>+<kbd>K</kbd>
<a class="left-prev" href="a.html" title="หน้าก่อนหน้า"><p class="prev-next-subtitle">ก่อนหน้า</p></a>
<p class="component-author">โดย ทีมพัฒนาชุดฝึกอบรมเติมเต็ม</p><p class="copyright">© ลิขสิทธิ์ พ.ศ. 2569</p>
<table><tr><td>PDPA</td><td>CSV</td></tr></table>
</body></html>"""


def _page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="th"><body>{body}</body></html>'


def test_a_page_in_thai_passes():
    assert check.check_html(GOOD_PAGE, "book/welcome.html") == []


@pytest.mark.parametrize("img, why", [
    ('<img src="../_images/a.png" />', "no alt text"),
    ('<img alt="" src="../_images/a.png" />', "no alt text"),
    ('<img alt="   " src="../_images/a.png" />', "no alt text"),
    ('<img alt="../_images/a1b2c3.png" src="../_images/a1b2c3.png" />', "file name"),
    ('<img alt="journey_HH0000007.png" src="../_images/a.png" />', "file name"),
    ('<img alt="_build/jupyter_execute/x" src="../_images/a.png" />', "file name"),
    ('<img alt="activities/figures/แผนผัง" src="../_images/a.png" />', "file name"),
    ('<img alt="Petal flower of household HH0000007" src="../_images/a.png" />', "without Thai"),
    ('<img alt="HH0000007" src="../_images/a.png" />', "without Thai"),
])
def test_an_image_without_thai_alt_text_fails(img, why):
    problems = check.check_html(_page(f"<figure>{img}</figure>"), "activities/03_petal_analysis.html")
    assert len(problems) == 1
    assert why in problems[0] and "activities/03_petal_analysis.html" in problems[0] and "a" in problems[0]


@pytest.mark.parametrize("title", ["Note", "Tip", "Warning", "Important", "See also", "Instructor notes"])
def test_an_english_admonition_title_fails(title):
    html = _page(f'<div class="admonition note"><p class="admonition-title">{title}</p><p>ข้อความ</p></div>')
    problems = check.check_html(html, "book/welcome.html")
    assert any("admonition title in English" in p and title in p for p in problems), problems


def test_a_thai_admonition_title_with_an_english_term_passes():
    html = _page('<div class="admonition tip"><p class="admonition-title">เคล็ดลับ (Tip)</p></div>')
    assert check.check_html(html, "book/welcome.html") == []


@pytest.mark.parametrize("snippet, label", [
    ('<button class="search-button" aria-label="Search" title="Search"><i></i></button>', "Search"),
    ('<input type="search" placeholder="Search this book..." />', "Search this book..."),
    ('<details class="admonition hide"><summary aria-label="Toggle hidden content">'
     '<p class="collapsed admonition-title">แสดง</p></summary></details>', "Toggle hidden content"),
    ('<a class="left-prev" href="a.html" title="previous page"><p>ก่อนหน้า</p></a>', "previous page"),
    ('<p class="prev-next-subtitle">next</p>', "next"),
    ('<a class="skip-link" href="#main">Skip to main content</a>', "Skip to main content"),
    ('<button title="Toggle primary sidebar"></button>', "Toggle primary sidebar"),
    ('<nav aria-label="Main"></nav>', "Main"),
    ('<p class="copyright">© Copyright 2569.</p>', "© Copyright 2569."),
    ('<p>Last updated on 1 Dec 2026.</p>', "Last updated on 1 Dec 2026."),
    ('<button data-bs-title="Color mode"></button>', "Color mode"),
    ('<div class="tocsection"><i></i> Contents </div>', "Contents"),
    ('<p class="component-author">By ทีมพัฒนาชุดฝึกอบรมเติมเต็ม</p>', "By ทีมพัฒนาชุดฝึกอบรมเติมเต็ม"),
])
def test_an_english_interface_label_fails(snippet, label):
    problems = check.check_html(_page(snippet), "book/welcome.html")
    assert any(f"English interface label {label!r}" in p for p in problems), problems


def test_collapsible_notes_must_get_thai_accessible_names():
    page = _page('<script src="../_static/togglebutton.js"></script>')
    assert any("togglebutton" in p for p in check.check_html(page, "activities/03_petal_analysis.html"))
    fixed = page + f"<script>{thai_ui.TOGGLE_NAMES_JS}</script>"
    assert check.check_html(fixed, "activities/03_petal_analysis.html") == []


def _built_book(root: Path) -> Path:
    """A small stand-in for _build/html that passes every rule."""
    html = root / "html"
    for page in check.PAGES:
        path = html / page
        path.parent.mkdir(parents=True, exist_ok=True)
        phrases = " ".join(check.ACTIVITY_PHRASES.get(page, ()))
        body = GOOD_PAGE.replace("<h1>กิจกรรม 3", f"<h1>{phrases}")
        path.write_text(body, encoding="utf-8")
        (path.parent.parent / "_images").mkdir(parents=True, exist_ok=True)
        (path.parent.parent / "_images" / "abc.png").write_bytes(b"\x89PNG")
    (html / "_static").mkdir(exist_ok=True)
    (html / "_static" / "theme.html").write_text("<p>Search</p>", encoding="utf-8")  # a theme file, not a page
    return html


def test_the_check_passes_a_thai_book_and_reads_every_built_page(tmp_path, capsys):
    html = _built_book(tmp_path)
    assert check.main([str(html)]) == 0
    assert f"{len(check.PAGES)} pages, 0 problem(s)" in capsys.readouterr().out
    # A page outside the list of required pages is checked too.
    (html / "genindex.html").write_text(_page('<img alt="genindex.png" src="x.png" /><p>Search</p>'),
                                        encoding="utf-8")
    assert check.main([str(html)]) == 1
    err = capsys.readouterr().err
    assert "genindex.html: image x.png has a file name as alt text" in err
    assert "genindex.html: English interface label 'Search' (text)" in err


def test_the_check_wants_every_page_marked_as_thai(tmp_path, capsys):
    html = _built_book(tmp_path)
    (html / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=book/welcome.html" />\n',
                                     encoding="utf-8")
    assert check.main([str(html)]) == 1
    assert 'index.html: not marked as Thai (no <html lang="th">)' in capsys.readouterr().err
    (html / "index.html").write_text(thai_ui.thai_redirect((html / "index.html").read_text(encoding="utf-8"),
                                                           "ชุดฝึกอบรมเติมเต็ม"), encoding="utf-8")
    assert check.main([str(html)]) == 0


def test_the_check_keeps_its_earlier_rules(tmp_path, capsys):
    html = _built_book(tmp_path)
    (html / "book" / "reference" / "architecture.html").unlink()
    page = html / "activities" / "12_parent_communication.html"
    text = page.read_text(encoding="utf-8").replace("แผนผังบริการฉบับเต็ม", "")
    text = text.replace("</body>", '<script src="https://cdn.example.org/x.js"></script>'
                                   '<img alt="ภาพที่หายไป" src="../_images/gone.png" /></body>')
    page.write_text(text, encoding="utf-8")
    assert check.main([str(html)]) == 1
    err = capsys.readouterr().err
    assert "architecture.html was not built" in err
    assert "12_parent_communication.html: lacks แผนผังบริการฉบับเต็ม" in err
    assert "from another site" in err
    assert "image ../_images/gone.png is missing" in err


def _catalogue() -> dict[str, str]:
    from babel.messages.pofile import read_po

    with PO.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


# What a reader sees that Sphinx or the theme translate through the catalogue.
READER_SEES = ["Note", "Tip", "Warning", "Important", "See also", "Attention", "Caution", "Danger", "Error", "Hint",
               "Search", "Search Results", "Searching", "Preparing search...", "Hide Search Matches",
               "Search finished, found ${resultCount} page(s) matching the search query.",
               "Please activate JavaScript to enable the search functionality.",
               "previous page", "next page", "previous", "next", "Contents", "On this page",
               "Skip to main content", "Back to top", "Link to this heading", "Color mode", "Light", "Dark",
               "System Settings", "Site navigation", "© Copyright %(copyright)s.", "Last updated on %(last_updated)s.",
               thai_ui.SEARCH_BAR_TEXT] + [english for _, english in thai_ui.HARDCODED_ATTRIBUTES]


@pytest.mark.parametrize("msgid", READER_SEES)
def test_the_catalogue_has_thai_for_what_a_reader_sees(msgid):
    thai = _catalogue().get(msgid)
    assert thai and check.THAI.search(thai), f"sphinx.po has no Thai for {msgid!r}"
    assert thai.count("%(") == msgid.count("%(") and thai.count("${") == msgid.count("${"), "placeholders kept"


def test_admonition_titles_use_the_words_the_kit_teaches():
    po = _catalogue()
    assert po["Note"] == "หมายเหตุ" and po["Tip"] == "เคล็ดลับ" and po["Warning"] == "คำเตือน"
    assert po["Search"] == "ค้นหา" and po["previous"] == "ก่อนหน้า" and po["next"] == "ถัดไป"


def test_the_search_pages_javascript_catalogue_comes_from_the_po(tmp_path):
    js = tmp_path / "sphinx.js"
    messages = thai_ui.write_search_js(PO, js)
    text = js.read_text(encoding="utf-8")
    assert text.startswith("Documentation.addTranslations(") and text.rstrip().endswith(");")
    data = json.loads(text[text.index("(") + 1:text.rindex(")")])
    assert data["locale"] == "th" and data["messages"] == messages
    assert data["messages"]["Search Results"] == "ผลการค้นหา"


def test_hard_coded_theme_labels_are_translated_through_the_catalogue(tmp_path):
    import sphinx.locale
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    folder = tmp_path / "th" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with PO.open("rb") as f, (folder / "sphinx.mo").open("wb") as out:
        write_mo(out, read_po(f))
    key = ("general", "sphinx")
    saved = sphinx.locale.translators.pop(key, None)
    try:
        sphinx.locale.init([str(tmp_path)], "th")
        html = '<nav aria-label="Main"><button title="Toggle primary sidebar"></button></nav><p>Main</p>'
        out = thai_ui.translate_attributes(html)
        assert 'aria-label="สารบัญหลัก"' in out and 'title="แสดงหรือซ่อนสารบัญของเล่ม"' in out
        assert "<p>Main</p>" in out, "only the attribute is rewritten, not the page's text"
    finally:
        sphinx.locale.translators.pop(key, None)
        if saved is not None:
            sphinx.locale.translators[key] = saved


# The welcome page's tables of activities.
WELCOME = REPO / "book" / "welcome.md"


def _activity_rows() -> dict[int, str]:
    """Activity number -> the row's "ในชุดฝึกนี้" cell, from every table with that column."""
    rows, header = {}, None
    for line in WELCOME.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if "กิจกรรมที่" not in header or "ในชุดฝึกนี้" not in header or set(cells[0]) <= set("-"):
            continue
        number = cells[header.index("กิจกรรมที่")]
        if number.isdigit():
            rows[int(number)] = cells[header.index("ในชุดฝึกนี้")]
    return rows


def test_the_welcome_table_marks_exactly_the_activities_that_exist():
    existing = {int(p.name[:2]): p for p in (REPO / "activities").glob("[0-9][0-9]_*.ipynb")}
    rows = _activity_rows()
    assert set(rows) == set(range(1, 14)), "the welcome tables list all 13 activities"
    for number, status in rows.items():
        if number in existing:
            assert status.startswith("มีแล้ว"), (number, status)
            assert f"</activities/{existing[number].stem}>" in status, "an existing activity links to its page"
        else:
            assert status.startswith("ยังไม่มี"), (number, status)
    assert set(existing) == set(range(1, 14)), "every one of the 13 activities has its notebook"


def test_the_welcome_page_promises_no_unbuilt_feature_as_present():
    text = WELCOME.read_text(encoding="utf-8")
    paragraphs = re.split(r"\n\s*\n", text)
    for paragraph in paragraphs:
        if "แพลตฟอร์มดิจิทัล" in paragraph:
            assert "ชุดฝึกอบรมนี้ไม่มีแพลตฟอร์ม" in paragraph, paragraph
        if "small-count suppression" in paragraph:
            assert "public_tables.yaml" in paragraph, "say where the suppression threshold lives"


def test_thai_words_joined_by_a_slash_are_not_a_path():
    img = '<img alt="แผนผังบริการ: ขั้นส่งต่อ/แจ้งเรื่อง โดยอาสาสมัคร/อสส." src="data:image/png;base64,iVBORw0KGgo=" />'
    assert check.check_html(_page(f'<figure class="termtem-figure">{img}</figure>'), "a.html") == []


def test_an_inline_figure_counts_as_the_activitys_figure_and_must_be_a_png(tmp_path, capsys):
    import base64

    html = _built_book(tmp_path)
    page = html / "activities" / "03_petal_analysis.html"
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 30).decode()
    inline = (f'<figure class="termtem-figure"><img src="data:image/png;base64,{png}" alt="กลีบดอกของครอบครัว">'
              '<figcaption>กลีบดอก</figcaption></figure>')
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace('<figure><img alt="กลีบดอกของครอบครัว HH0000007: มิติสุขภาพของเด็กเป็นสีแดง" '
                                 'src="../_images/abc.png" /></figure>', inline), encoding="utf-8")
    assert "_images/abc.png" not in page.read_text(encoding="utf-8")
    assert check.main([str(html)]) == 0
    capsys.readouterr()
    not_png = base64.b64encode(b"GIF89a" + b"\0" * 30).decode()
    page.write_text(page.read_text(encoding="utf-8").replace(png, not_png), encoding="utf-8")
    assert check.main([str(html)]) == 1
    assert "an inline figure is not a PNG image" in capsys.readouterr().err
