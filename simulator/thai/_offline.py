"""Keep PyThaiNLP to its bundled data: import this before any ``pythainlp`` module.

The kit only uses PyThaiNLP's bundled dictionary and date helpers, so it must never
download a corpus or create ``~/pythainlp-data`` as a side effect (classrooms often run
offline, on shared machines). A user's own PyThaiNLP settings win.
"""

import os

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
if "PYTHAINLP_READ_MODE" not in os.environ:  # the deprecated name; setting both is an error
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
