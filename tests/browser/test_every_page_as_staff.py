"""Every page reachable in the demo as the demo staff passes axe and fits 320px (see crawl.py)."""

import pytest

from tests.browser.crawl import check_every_page

pytestmark = pytest.mark.browser


def test_every_reachable_page_passes_axe(demo_page, demo_site, record_property):
    checked = check_every_page("staff", demo_page(), demo_site.url)
    record_property("axe_pages_checked", ("staff", checked))
