"""Pages are compressed where that gives nothing away (docs/decisions/0011-compression.md)."""

import gzip

import pytest

from withpeople.feedback.tests.helpers import make_cycle
from withpeople.organisations import services as organisation_services

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_a_page_is_gzipped_when_the_browser_accepts_it(client):
    plain = client.get("/ladder/")
    packed = client.get("/ladder/", **GZIP)
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2


def test_pages_for_signed_in_people_are_gzipped_with_a_fresh_csrf_mask(client_for, members):
    client = client_for(members["admin"])
    first = client.get("/account/tokens/new/", **GZIP)
    second = client.get("/account/tokens/new/", **GZIP)
    assert first["Content-Encoding"] == "gzip"

    def csrf(response):
        html = gzip.decompress(response.content).decode()
        start = html.index('name="csrfmiddlewaretoken" value="') + 34
        return html[start : html.index('"', start)]

    # Masked afresh in every response, so no two compressed pages carry the same bytes.
    assert csrf(first) != csrf(second)


def test_answers_to_post_are_never_compressed(client_for, members):
    client = client_for(members["admin"])
    response = client.post("/account/tokens/new/", {"name": "Reports"}, **GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"Reports" in response.content


def test_the_public_forms_are_compressed_as_their_token_is_nobodys_secret(client, organisation):
    """The form's one-time token is made afresh for whoever opens the page, so anyone can have
    one by asking: BREACH has nothing to find in it. Each answer carries a new one."""
    import gzip
    import re

    cycle = make_cycle(organisation)
    for path in (f"/f/{cycle.public_code}/", f"/f/{cycle.public_code}/easy-read/"):
        first, second = (client.get(path, **GZIP) for _ in range(2))
        assert first.status_code == second.status_code == 200
        assert first["Content-Encoding"] == "gzip"
        tokens = [
            re.search(rb'name="token" value="([^"]+)"', gzip.decompress(r.content)).group(1)
            for r in (first, second)
        ]
        assert tokens[0] != tokens[1]


def test_pages_with_someone_elses_secret_are_not_compressed(client, organisation):
    _invitation, raw = organisation_services.invitation_create(
        organisation=organisation,
        email="new.person@example.org",
        role="partner",
        perspective="carer",
        invited_by=None,
        accept_url_for=lambda raw: raw,
    )
    response = client.get(f"/invitations/{raw}/", **GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_only_text_is_compressed(rf):
    from django.http import HttpResponse

    from withpeople.core.middleware import CompressionMiddleware

    body = b"%PDF-1.7 " + b"0" * 2000
    middleware = CompressionMiddleware(lambda request: HttpResponse(body, "application/pdf"))
    response = middleware(rf.get("/receipt.pdf", HTTP_ACCEPT_ENCODING="gzip"))
    assert "Content-Encoding" not in response and response.content == body
    middleware = CompressionMiddleware(lambda request: HttpResponse(body, "text/csv"))
    assert middleware(rf.get("/export.csv", HTTP_ACCEPT_ENCODING="gzip"))["Content-Encoding"] == (
        "gzip"
    )
