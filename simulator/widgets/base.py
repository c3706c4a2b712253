"""What every activity widget shares: it shows its ``view`` box when displayed."""

from __future__ import annotations


class ActivityWidget:
    view = None  # the ipywidgets box built by the subclass

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)
