"""What every activity widget shares: it shows its ``view`` box when displayed, and its
figures carry Thai alternative text (ipywidgets' Image has none, so pictures are HTML)."""

from __future__ import annotations

import base64
import html

import ipywidgets as w


class ActivityWidget:
    view = None  # the ipywidgets box built by the subclass

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)


SCROLL_REGION = ("<div class='termtem-scroll' tabindex='0' role='region' aria-label='ตาราง เลื่อนไปทางขวาได้' "
                 "style='overflow-x:auto;max-width:100%'>{table}</div>")


def table_html(frame, numbers: bool = False, na_rep: str = "NaN") -> str:
    """``frame`` as an HTML table in a box that scrolls sideways, instead of stretching a phone screen.

    ``numbers``: every header and cell stays on one line (``termtem-numbers``); squeezed into a
    phone, short Thai headers and cells broke in the middle of a word. The box can take the
    keyboard's focus and is named, so it can be scrolled without a mouse (axe's rule).
    """
    classes = "termtem-table termtem-numbers" if numbers else "termtem-table"
    return SCROLL_REGION.format(table=frame.to_html(index=False, escape=True, border=0, classes=classes, na_rep=na_rep))


class Picture(w.HTML):
    """A PNG figure inside a widget, scaled to the screen, with the figure's Thai alt text."""

    def __init__(self, max_width: str = "720px"):
        super().__init__(layout=w.Layout(width="100%", max_width=max_width))
        self.png = b""
        self.alt = ""

    def show_figure(self, fig, dpi: int) -> None:
        from simulator.figures import describe, to_png

        self.show(to_png(fig, dpi=dpi), describe(fig)[0])

    def show(self, png: bytes, alt: str) -> None:
        self.png, self.alt = png, alt
        if not png:
            self.value = ""
            return
        data = base64.b64encode(png).decode("ascii")
        self.value = (f'<img class="termtem-picture" src="data:image/png;base64,{data}" '
                      f'alt="{html.escape(alt, quote=True)}" style="width:100%;height:auto">')

    def clear(self) -> None:
        self.show(b"", "")
