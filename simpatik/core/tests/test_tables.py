"""On a phone a wide table scrolls inside its own box, never the page sideways: every table of a
page sits in a `table-wrap` (the delegations list did not, and pushed the page to 501 px)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_table_on_a_page_scrolls_in_its_own_box():
    unwrapped = []
    for template in sorted(ROOT.glob("*/templates/**/*.html")):
        text = template.read_text()
        # A document of its own or a part of one (a letter, a report): printed, not scrolled.
        if "<html" in text or "/templates/letters/" in template.as_posix():
            continue
        for match in re.finditer(r"<table\b", text):
            before = text[: match.start()].rstrip()
            if not re.search(r'<div class="table-wrap[^"]*">$', before):
                line = text.count("\n", 0, match.start()) + 1
                unwrapped.append(f"{template.relative_to(ROOT)}:{line}")
    assert unwrapped == []
