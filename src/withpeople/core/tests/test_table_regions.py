"""Every box that lets a wide table scroll sideways can be reached and scrolled by keyboard.

WCAG 2.1.1 (Keyboard): a box that scrolls must take focus, or keyboard users cannot move it.
Once focusable, it needs a role and a name (WCAG 4.1.2), so it is a region named by its table's
caption. The ids are checked here, in the templates, because a page only scrolls when its
table is wider than the screen, so a crawl could miss a box that is wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import withpeople

TEMPLATES = sorted(Path(withpeople.__file__).parent.glob("*/templates/**/*.html"))
WRAPPER = re.compile(r'<div class="wp-table-wrapper[^"]*"[^>]*>')


def _wrappers() -> list[tuple[Path, str]]:
    return [(path, tag) for path in TEMPLATES for tag in WRAPPER.findall(path.read_text())]


def test_every_scrolling_table_box_is_a_named_focusable_region():
    found = _wrappers()
    assert len(found) >= 27
    for path, tag in found:
        assert 'role="region"' in tag, (path, tag)
        assert 'tabindex="0"' in tag, (path, tag)
        assert re.search(r'aria-labelledby="[^"]+"', tag), (path, tag)


def test_each_region_is_named_by_an_element_in_the_same_template():
    for path, tag in _wrappers():
        label_id = re.search(r'aria-labelledby="([^"]+)"', tag).group(1)
        assert f'id="{label_id}"' in path.read_text(), (path, label_id)
