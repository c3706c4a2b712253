"""Check the built book (run after `jupyter-book build`): pages exist, activity 3 shows its
flower figure, Thai text is present, and nothing is loaded from another site at view time."""

from __future__ import annotations

import re
import sys
from pathlib import Path

HTML = Path("_build/html")
PAGES = ["book/welcome.html", "book/concepts/petal_model.html", "activities/03_petal_analysis.html",
         "book/reference/data_schema.html"]
REMOTE = re.compile(r"""<(script|link|img|iframe)[^>]+(src|href)=["'](https?:)?//""", re.I)


def main() -> int:
    problems = []
    for page in PAGES:
        path = HTML / page
        if not path.exists():
            problems.append(f"{path} was not built")
            continue
        text = path.read_text(encoding="utf-8")
        for match in REMOTE.finditer(text):
            problems.append(f"{path}: loads {match.group(0)[:80]}... from another site (workshops run offline)")
    activity = HTML / "activities/03_petal_analysis.html"
    if activity.exists():
        text = activity.read_text(encoding="utf-8")
        images = re.findall(r'<img[^>]+src="([^"]+\.png)"', text)
        if not images:
            problems.append(f"{activity}: no petal flower image")
        for src in images:
            if not (activity.parent / src).resolve().exists():
                problems.append(f"{activity}: image {src} is missing")
        for phrase in ("วิเคราะห์ภาวะคุกคาม 4 มิติ", "บันทึกสำหรับวิทยากร", "คำถามชวนคิด"):
            if phrase not in text:
                problems.append(f"{activity}: lacks {phrase}")
    for p in problems:
        print("book check:", p, file=sys.stderr)
    print(f"book check: {len(PAGES)} pages, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
