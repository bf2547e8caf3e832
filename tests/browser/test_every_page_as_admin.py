"""Every page reachable in the demo as the demo admin passes axe and fits 320px (see crawl.py)."""

import pytest

from tests.browser.conftest import load_demo
from tests.browser.crawl import check_every_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_reachable_page_passes_axe(new_page, live_server, record_property):
    load_demo()
    checked = check_every_page("admin", new_page(), live_server.url)
    record_property("axe_pages_checked", ("admin", checked))
