"""The practice platform's sign-in (name and PIN), shared by the activities that write to it."""

from __future__ import annotations

import html

import ipywidgets as w

from simulator.platform.service import SignInError, sign_in

FULL_WIDTH = w.Layout(width="100%")
LABEL = {"description_width": "initial"}
OK, NOT_YET = "#1b5e20", "#b00020"


class SignInPanel:
    """Name, PIN and a button; on success calls ``on_signed_in(user)``, which may refuse with a Thai message."""

    def __init__(self, platform, on_signed_in):
        self.platform, self.on_signed_in = platform, on_signed_in
        self.user = None
        self.name = w.Text(description="ชื่อ-นามสกุล", style=LABEL, layout=FULL_WIDTH)
        self.pin = w.Password(description="รหัส PIN", style=LABEL, layout=FULL_WIDTH)
        self.button = w.Button(description="เข้าสู่ระบบ", button_style="primary", layout=FULL_WIDTH)
        self.message = w.HTML(layout=FULL_WIDTH)
        self.button.on_click(self._on_click)
        self.view = w.VBox([self.name, self.pin, self.button, self.message], layout=FULL_WIDTH)

    def _on_click(self, _button=None) -> None:
        try:
            user = sign_in(self.platform, self.name.value, self.pin.value)
        except SignInError as exc:
            self.message.value = f"<span style='color:{NOT_YET}'>✘ {html.escape(str(exc))}</span>"
            return
        refusal = self.on_signed_in(user)
        if refusal:
            self.message.value = f"<span style='color:{NOT_YET}'>{html.escape(refusal)}</span>"
            return
        self.user = user
        self.message.value = (f"<span style='color:{OK}'>✔ เข้าสู่ระบบแล้ว: {html.escape(user.name_th)} "
                              f"({html.escape(user.role_th)})</span>")
        for control in (self.name, self.pin, self.button):
            control.disabled = True


__all__ = ["SignInPanel"]
