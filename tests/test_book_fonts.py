"""The book's pages are set in Sarabun from font files built into the book, and every page is in Thai.

``_static/termtem.css`` declares the Sarabun faces from ``fonts/`` beside it; ``locale/_ext/thai_ui.py`` copies the
TTFs of the ``fontpkg-sarabun`` package (``simulator.figures.fonts.font_files()``) into the built book's
``_static/fonts/`` and gives sphinx-external-toc's bare redirect ``index.html`` a ``<html lang="th">`` page.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from simulator.figures.fonts import font_files

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "_static"
CSS = STATIC / "termtem.css"
FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
REMOTE = re.compile(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/|@import", re.I)


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


thai_ui = _load("thai_ui", ROOT / "locale" / "_ext" / "thai_ui.py")
check = _load("check_built_book", ROOT / "tools" / "check_built_book.py")


def _faces(css: str) -> list[dict[str, str]]:
    faces = []
    for body in FONT_FACE.findall(css):
        props = dict((k.strip(), v.strip()) for k, v in (p.split(":", 1) for p in body.split(";") if ":" in p))
        faces.append(props)
    return faces


def test_css_declares_every_sarabun_face_from_local_files_only():
    css = CSS.read_text(encoding="utf-8")
    faces = _faces(css)
    assert faces, "no @font-face in termtem.css"
    shipped = {f.name for f in font_files()}
    declared = {}
    for face in faces:
        assert face["font-family"].strip("\"'") == "Sarabun"
        urls = URL.findall(face["src"])
        assert urls and all(u.startswith("fonts/") and not REMOTE.search(u) for u in urls), face["src"]
        assert "local(" not in face["src"], "the font comes with the book, not from the reader's phone"
        for url in urls:
            assert url.removeprefix("fonts/") in shipped, f"{url} is not a file the build copies"
        declared[(face["font-weight"], face["font-style"])] = urls[0]
    assert declared == {
        ("400", "normal"): "fonts/Sarabun-Regular.ttf",
        ("400", "italic"): "fonts/Sarabun-Italic.ttf",
        ("600", "normal"): "fonts/Sarabun-SemiBold.ttf",
        ("700", "normal"): "fonts/Sarabun-Bold.ttf",
        ("700", "italic"): "fonts/Sarabun-BoldItalic.ttf",
    }


def test_sarabun_is_the_font_of_the_whole_page():
    css = CSS.read_text(encoding="utf-8")
    for variable in ("--pst-font-family-base", "--pst-font-family-heading"):
        assert re.search(variable + r'\s*:\s*"Sarabun"', css), f"{variable} does not start with Sarabun"
    body = re.search(r"(?:^|\})\s*html,\s*body\s*\{([^}]*)\}", css)
    assert body and re.search(r'font-family\s*:\s*"Sarabun"', body.group(1))


def test_no_book_css_or_js_loads_anything_from_another_site():
    files = sorted(STATIC.rglob("*.css")) + sorted(STATIC.rglob("*.js"))
    assert CSS in files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://", text), f"{path.name} names a web address"
        assert not REMOTE.search(text), f"{path.name} loads something from another site"


def test_the_build_copies_the_font_files_into_static_fonts(tmp_path):
    files = thai_ui.book_fonts(ROOT)
    assert {f.name for f in files} >= {"Sarabun-Regular.ttf", "Sarabun-Bold.ttf", "Sarabun-Italic.ttf",
                                        "Sarabun-SemiBold.ttf", "Sarabun-BoldItalic.ttf"}
    copied = thai_ui.copy_fonts(files, tmp_path)
    for font, target in zip(files, copied):
        assert target == tmp_path / "_static" / "fonts" / font.name
        assert target.read_bytes() == font.read_bytes()
    # A second build leaves the same files in place.
    assert thai_ui.copy_fonts(files, tmp_path) == copied


def test_the_redirect_index_page_is_a_thai_page():
    bare = '<meta http-equiv="Refresh" content="0; url=book/welcome.html" />\n'
    page = thai_ui.thai_redirect(bare, "ชุดฝึกอบรมเติมเต็ม (Termtem training kit)")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"th\">")
    assert 'content="0; url=book/welcome.html"' in page and 'href="book/welcome.html"' in page
    assert check.check_html(page, "index.html") == []
    # Any other page (a real index, a page already rewritten) is left alone.
    assert thai_ui.thai_redirect(page, "x") is None
    assert thai_ui.thai_redirect('<!DOCTYPE html><html lang="th"><body></body></html>', "x") is None
