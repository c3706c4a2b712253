"""A small Sphinx extension that makes the book's own interface speak Thai.

It lives in ``locale/_ext/`` (not in ``locale/``) because Jupyter Book puts its folder on ``sys.path``, and docutils
would then import ``locale/th/`` as its Thai language module.

Sphinx and pydata-sphinx-theme read their labels from ``locale/th/LC_MESSAGES/sphinx.po`` (Sphinx compiles it to
``sphinx.mo`` because ``locale_dirs`` names this folder). What a catalogue cannot reach is handled here, each label
still translated through that same catalogue:

* the search box's placeholder (a theme option, ``search_bar_text``);
* the search page's JavaScript messages: ``sphinx.js`` is written beside the ``.po`` from the same entries;
* labels the themes write without ``_()`` (``title="Toggle primary sidebar"``, ``aria-label="Main"``...);
* myst-nb's show/hide toggle of hidden code, whose ``<summary>`` carries ``aria-label="Toggle hidden content"``:
  the label is dropped, so a screen reader announces the visible Thai prompt (``nb_code_prompt_show``/``_hide``);
* sphinx-togglebutton's collapsible notes, whose button gets ``aria-label="Toggle hidden content"`` from its
  JavaScript: a few lines served with the page set it to the Thai hint shown beside it (คลิกเพื่อแสดง/คลิกเพื่อซ่อน).

Two more things every built page needs, done when an HTML build finishes:

* the Sarabun font: its TTFs (from the ``fontpkg-sarabun`` package, ``simulator.figures.fonts.font_files()``) are
  copied into ``_static/fonts/``, where ``_static/termtem.css`` declares them; nothing is fetched from another site;
* ``<html lang="th">`` on every page, including the bare redirect ``index.html`` that sphinx-external-toc writes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from html import escape
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.locale import _

# English labels the themes hard-code in attributes; each must have an entry in sphinx.po.
HARDCODED_ATTRIBUTES = (
    ("title", "Toggle primary sidebar"),
    ("title", "Toggle secondary sidebar"),
    ("aria-label", "Main"),
    ("aria-label", "Page"),
)
SEARCH_BAR_TEXT = "Search this book..."

# Keeps each togglebutton's accessible name equal to the Thai hint it shows (toggleHintShow/Hide are
# defined by sphinx-togglebutton before its own script).
TOGGLE_NAMES_JS = """
(function () {
  function name(button) {
    var open = button.getAttribute("aria-expanded") === "true";
    var hint = open ? toggleHintHide : toggleHintShow;
    if (button.getAttribute("aria-label") !== hint) { button.setAttribute("aria-label", hint); }
  }
  function start() {
    document.querySelectorAll(".toggle-button").forEach(function (button) {
      name(button);
      new MutationObserver(function () { name(button); })
        .observe(button, {attributes: true, attributeFilter: ["aria-expanded"]});
    });
  }
  if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
})();
"""


def write_search_js(po: Path, js: Path, language: str = "th") -> dict[str, str]:
    """Write Sphinx's JavaScript catalogue (``sphinx.js``) from the ``.po`` entries; return the messages."""
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    messages = {m.id: m.string for m in catalog if m.id and m.string and isinstance(m.id, str)}
    body = json.dumps({"locale": language, "messages": messages, "plural_expr": "0"}, ensure_ascii=False, indent=1)
    text = f"Documentation.addTranslations({body});\n"
    if not js.exists() or js.read_text(encoding="utf-8") != text:
        js.write_text(text, encoding="utf-8")
    return messages


def translate_attributes(html: str) -> str:
    """Translate the themes' hard-coded English attribute labels through the Sphinx catalogue."""
    for attribute, english in HARDCODED_ATTRIBUTES:
        html = html.replace(f'{attribute}="{english}"', f'{attribute}="{escape(str(_(english)))}"')
    return html


FONT_FOLDER = Path("_static", "fonts")
# The page the book's root address opens: Thai, and straight on to the first page.
REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8" />
<meta http-equiv="Refresh" content="0; url={url}" />
<title>{title}</title>
</head>
<body>
<p><a href="{url}">ไปยังหน้าแรกของหนังสือ</a></p>
</body>
</html>
"""
BARE_REDIRECT = re.compile(r"""^\s*<meta http-equiv="Refresh" content="0; url=([^"]+)" />\s*$""")


def book_fonts(srcdir: Path | str) -> list[Path]:
    """The Sarabun TTFs the book's pages use (``simulator.figures.fonts.font_files()``)."""
    try:
        from simulator.figures.fonts import font_files
    except ImportError:
        sys.path.insert(0, os.fspath(srcdir))  # the book's own folder holds the simulator package
        from simulator.figures.fonts import font_files
    files = font_files()
    missing = [f.name for f in files if not f.exists()]
    if missing:
        raise ExtensionError(f"Sarabun font files not found ({', '.join(missing)}): install fontpkg-sarabun")
    return files


def copy_fonts(files: list[Path], outdir: Path | str) -> list[Path]:
    """Copy the font files into ``<outdir>/_static/fonts/`` (unchanged files are left alone)."""
    folder = Path(outdir, FONT_FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for font in files:
        target = folder / font.name
        if not target.exists() or target.stat().st_size != font.stat().st_size \
                or target.read_bytes() != font.read_bytes():
            shutil.copyfile(font, target)
        copied.append(target)
    return copied


def thai_redirect(html: str, title: str) -> str | None:
    """A full Thai page for a bare ``<meta http-equiv="Refresh">`` redirect; ``None`` for any other page."""
    match = BARE_REDIRECT.match(html)
    if not match:
        return None
    return REDIRECT_PAGE.format(url=escape(match.group(1)), title=escape(title))


def _build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    copy_fonts(book_fonts(app.srcdir), app.outdir)
    index = Path(app.outdir, "index.html")
    if index.exists():
        page = thai_redirect(index.read_text(encoding="utf-8"), app.config.html_title or app.config.project or "")
        if page is not None:
            index.write_text(page, encoding="utf-8")


def _visit_hide_cell(self, node):
    # As myst-nb's visitor, without the English aria-label: the summary's name is its visible Thai prompt.
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n')
    self.body.append("<summary>\n")
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def _depart_hide_cell(self, node):
    self.body.append("</details>\n")


def _config_inited(app, config):
    options = dict(config.html_theme_options or {})
    options["search_bar_text"] = str(_(SEARCH_BAR_TEXT))
    config.html_theme_options = options
    for directory in config.locale_dirs:
        folder = Path(app.srcdir, directory, config.language, "LC_MESSAGES")
        if (folder / "sphinx.po").exists():
            write_search_js(folder / "sphinx.po", folder / "sphinx.js", config.language)


def _builder_inited(app):
    if app.builder.format != "html":
        return
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, html=(_visit_hide_cell, _depart_hide_cell))
    templates = app.builder.templates
    render = templates.render

    def render_in_thai(template, context):
        return translate_attributes(render(template, context))

    templates.render = render_in_thai


def setup(app):
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    # After sphinx-external-toc (priority 500) has written its redirect index.html.
    app.connect("build-finished", _build_finished, priority=900)
    app.add_js_file(None, body=TOGGLE_NAMES_JS, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
