import pytest

from withpeople.accounts.models import ApiToken
from withpeople.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def test_token_lists_only_the_callers_organisations(client, members, outsider):
    _token, raw = api_token_create(user=members["partner"].user, name="script")
    response = client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": "example",
            "name": "Example Council",
            "role": "partner",
            "perspective": "lived_experience",
        }
    ]
    assert ApiToken.objects.get(pk=_token.pk).last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(client, members):
    """A token used many times a minute is written once a minute, not on every request."""
    import datetime as dt

    token, raw = api_token_create(user=members["partner"].user, name="script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/organisations", **auth).status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    assert client.get("/api/v1/organisations", **auth).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    # A minute later, the next request writes it again.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=1))
    assert client.get("/api/v1/organisations", **auth).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_revoked_or_wrong_token_is_refused(client, members):
    token, raw = api_token_create(user=members["staff"].user, name="script")
    api_token_revoke(token=token)
    assert (
        client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    )
    assert (
        client.get("/api/v1/organisations", HTTP_AUTHORIZATION="Bearer wp_nope").status_code == 401
    )


def test_only_a_hash_is_stored(members):
    token, raw = api_token_create(user=members["staff"].user, name="script")
    assert raw not in (token.token_hash, token.hint)
    assert raw.startswith(token.hint)


def test_openapi_document_describes_the_api(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["version"] == "1"
    assert "/api/v1/organisations" in document["paths"]


def test_token_made_and_revoked_from_the_account_page(django_app, members):
    user = members["staff"].user
    page = django_app.get("/account/", user=user).click("Make a new token")
    form = next(f for f in page.forms.values() if "name" in f.fields)
    form["name"] = ""
    assert "Enter a name for the token" in form.submit()
    form["name"] = "Reporting"
    page = form.submit()
    raw = page.html.select_one("#token").text.strip()
    assert (
        django_app.get("/api/v1/organisations", headers={"Authorization": f"Bearer {raw}"}).json[0][
            "slug"
        ]
        == "example"
    )
    page = django_app.get("/account/", user=user).click("Revoke")
    form = next(f for f in page.forms.values() if not f.action.endswith("/sign-out/"))
    form.submit().follow()
    django_app.reset()
    django_app.get("/api/v1/organisations", headers={"Authorization": f"Bearer {raw}"}, status=401)
