"""Voila's own command line, with compressed responses: ``python -m simulator.workshop.voila_main``.

A phone's first visit downloads about 5 MB of Voila's JavaScript and stylesheets; 40 phones on one
hotspot would pull about 200 MB. Tornado compresses text responses when its Application is built
with ``compress_response``, but Voila applies its ``tornado_settings`` only after building the
Application, too late for that setting, so it is passed in here as the Application is built.
"""

from __future__ import annotations

import tornado.web


def _compressing(init):
    def __init__(self, *args, **settings):
        settings.setdefault("compress_response", True)
        init(self, *args, **settings)

    return __init__


def main() -> None:
    tornado.web.Application.__init__ = _compressing(tornado.web.Application.__init__)
    from voila.app import main as voila

    voila()


if __name__ == "__main__":
    main()
