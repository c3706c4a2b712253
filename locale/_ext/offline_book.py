"""The book is read offline in a workshop: drop Thebe's scripts from every page.

Jupyter Book always loads sphinx-thebe, which adds a script naming a CDN (unpkg) and, because
its setup runs on every read of the sources, adds that script twice, so each page logged
"Identifier 'THEBE_JS_URL' has already been declared". The kit never launches Thebe (the live
route is the served app or Jupyter), so its scripts are removed.
"""

from __future__ import annotations


def _is_thebe(script) -> bool:
    name = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in name or "THEBE_JS_URL" in body


def drop_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


def setup(app):
    app.connect("html-page-context", drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
