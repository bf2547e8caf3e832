"""The cycle page links to every improvement page, and each link opens for a member."""

import pytest
from django.urls import reverse

from withpeople.feedback.tests.helpers import make_cycle

pytestmark = pytest.mark.django_db


def test_every_improvement_link_on_the_cycle_page_opens_for_a_partner(client, members):
    cycle = make_cycle(members["admin"].organisation)
    client.force_login(members["partner"].user)
    page = client.get(
        reverse("feedback:cycle", kwargs={"org_slug": "example", "cycle_slug": cycle.slug})
    )
    links = [label for label, _url in page.context["improvement_links"]]
    assert "You said, we did" in links
    for _label, url in page.context["improvement_links"]:
        assert url in page.content.decode()
        # Before You said, we did is published, members still get its preview, not a 404.
        assert client.get(url).status_code == 200, url
