"""ipywidgets face of the dashboard explorer (activity 13 and the district chapter).

Eight choices in one column (zone, district, community, dimension, age band, sex, household
type, and the months from and to); every change redraws the headline, the monthly figure and
the table one level down, together. Choosing a zone narrows the districts offered, and a
district its communities. Tests set the dropdowns in code and read what is shown.
"""

from __future__ import annotations

import html
import time

import ipywidgets as w

from simulator.dashboards.explorer import Explorer, breakdown_th, headline_th, household_type_labels, monthly_figure
from simulator.dashboards.tables import DashboardData, Selection
from simulator.thai.dates import thai_month
from simulator.thai.vocabulary import DIMENSION_TH, SYNTHETIC_MARK

from .base import ActivityWidget, Picture, table_html

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
EVERY = ""  # the value of "all" in every dropdown


def _table_html(df) -> str:
    return table_html(df, numbers=True, na_rep="–")


class ExplorerWidget(ActivityWidget):
    def __init__(self, data: DashboardData, start=None, end=None):
        self.explorer = Explorer(data)
        hh = data.households
        self._districts_of = {z: sorted(hh.loc[hh["zone"].astype(str) == z, "district"].astype(str).unique())
                              for z in sorted(hh["zone"].astype(str).unique())}
        self._communities_of = hh.groupby(hh["district"].astype(str))["community"].agg(
            lambda c: sorted(c.astype(str).unique())).to_dict()

        def dropdown(label, options, value=EVERY):
            return w.Dropdown(options=options, value=value, description=label, style=LABEL, layout=FULL_WIDTH)

        months = self.explorer.months
        month_options = [(thai_month(m), str(m)) for m in months]
        self.zone = dropdown("กลุ่มเขต", [("ทุกกลุ่มเขต", EVERY)] + [(z, z) for z in self._districts_of])
        self.district = dropdown("เขต", self._district_options())
        self.community = dropdown("ชุมชน", [("ทุกชุมชน", EVERY)])
        self.dimension = dropdown("มิติ", [("ทุกมิติ", EVERY)] + [(th, d) for d, th in DIMENSION_TH.items()])
        self.age_band = dropdown("ช่วงอายุของเด็ก", [("ทุกช่วงอายุ", EVERY)]
                                 + [(b.label_th, b.code) for b in data.settings.age_bands])
        self.sex = dropdown("เพศของเด็ก", [("ทุกเพศ", EVERY), ("หญิง", "female"), ("ชาย", "male")])
        types = sorted(hh["household_type"].astype(str).unique())
        labels = household_type_labels()
        self.household_type = dropdown("รูปแบบครัวเรือน", [("ทุกรูปแบบ", EVERY)]
                                       + [(labels.get(t, t), t) for t in types])
        self.start = dropdown("ตั้งแต่เดือน", month_options, str(start or months[max(0, len(months) - 24)]))
        self.end = dropdown("ถึงเดือน", month_options, str(end or months[-1]))
        self.headline = w.HTML(layout=FULL_WIDTH)
        self.figure = Picture(max_width="720px")
        self.table = w.HTML(layout=FULL_WIDTH)
        self.message = w.HTML(layout=FULL_WIDTH)
        self.view_result = None
        self.last_update_seconds = 0.0
        self._quiet = False

        self.zone.observe(self._on_zone, names="value")
        self.district.observe(self._on_district, names="value")
        for control in (self.community, self.dimension, self.age_band, self.sex, self.household_type,
                        self.start, self.end):
            control.observe(self._on_change, names="value")
        self.view = w.VBox([
            w.HTML(f"<b>สำรวจแดชบอร์ด (Dashboard explorer)</b> <span style='color:#b00020'>({SYNTHETIC_MARK})</span>"),
            self.zone, self.district, self.community, self.dimension, self.age_band, self.sex,
            self.household_type, self.start, self.end,
            self.message, self.headline, self.figure, self.table,
        ], layout=FULL_WIDTH)
        self.update()

    def _district_options(self):
        zone = getattr(self, "zone", None)
        districts = self._districts_of.get(zone.value, []) if zone is not None and zone.value else \
            sorted(d for ds in self._districts_of.values() for d in ds)
        return [("ทุกเขต", EVERY)] + [(f"เขต{d}", d) for d in districts]

    def _on_zone(self, _change=None):
        self._quiet = True
        self.district.options = self._district_options()
        self.district.value = EVERY
        self.community.options = [("ทุกชุมชน", EVERY)]
        self.community.value = EVERY
        self._quiet = False
        self.update()

    def _on_district(self, _change=None):
        if self._quiet:
            return
        self._quiet = True
        names = self._communities_of.get(self.district.value, []) if self.district.value else []
        self.community.options = [("ทุกชุมชน", EVERY)] + [(c, c) for c in names]
        self.community.value = EVERY
        self._quiet = False
        self.update()

    def _on_change(self, _change=None):
        if not self._quiet:
            self.update()

    def selection(self) -> Selection:
        def value(control):
            return control.value or None

        return Selection(zone=value(self.zone), district=value(self.district), community=value(self.community),
                         household_type=value(self.household_type), age_band=value(self.age_band),
                         sex=value(self.sex), dimension=value(self.dimension))

    def update(self) -> None:
        began = time.perf_counter()
        if self.end.value < self.start.value:
            self.message.value = ("<span style='color:#b00020'>เดือนสิ้นสุดต้องไม่อยู่ก่อนเดือนเริ่มต้น "
                                  "กรุณาเลือกช่วงเดือนใหม่</span>")
            self.view_result = None
            self.headline.value = self.table.value = ""
            self.figure.clear()
            return
        self.message.value = ""
        view = self.explorer.view(self.selection(), self.start.value, self.end.value)
        self.view_result = view
        lines = headline_th(view)
        self.headline.value = (f"<h4>{html.escape(lines[0])}</h4>"
                               + "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:]))
        self.figure.show_figure(monthly_figure(view), dpi=110)
        self.table.value = _table_html(breakdown_th(view))
        self.last_update_seconds = time.perf_counter() - began


__all__ = ["ExplorerWidget"]
