"""A real OpenID Connect provider for the tests: `tests/oidc/provider.mjs` (the certified
`oidc-provider` npm package) run with Node on 127.0.0.1, and helpers to register a client and
to sign in on its development sign-in page without a browser."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import requests

SCRIPT = Path(__file__).resolve().parents[3] / "tests" / "oidc" / "provider.mjs"


@contextmanager
def running_provider() -> Iterator[str]:
    """Start the provider; yield its issuer address; stop it."""
    process = subprocess.Popen(  # noqa: S603
        ["node", str(SCRIPT)],  # noqa: S607
        cwd=SCRIPT.parents[2],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        if not line.startswith("READY "):
            raise RuntimeError("the OpenID Connect provider did not start")
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)


def register_client(issuer: str, redirect_uri: str) -> tuple[str, str]:
    """Register a client by dynamic registration (RFC 7591): its ID and secret."""
    response = requests.post(
        issuer + "/reg",
        json={
            "redirect_uris": [redirect_uri],
            "response_types": ["code"],
            "grant_types": ["authorization_code"],
            "token_endpoint_auth_method": "client_secret_basic",
        },
        timeout=10,
    )
    response.raise_for_status()
    client = response.json()
    return client["client_id"], client["client_secret"]


def _follow(browser: requests.Session, url: str) -> requests.Response | str:
    """Follow redirects until a page, or until the redirect back to the client (returned)."""
    while True:
        if "/account/sign-in/organisation/callback/" in url:
            return url
        answer = browser.get(url, allow_redirects=False, timeout=10)
        if answer.status_code not in (302, 303):
            return answer
        url = urljoin(answer.url, answer.headers["location"])


def sign_in_at_provider(authorize_url: str, login: str) -> str:
    """Follow the authorization request, sign in as `login` on the provider's page, and return
    the redirect back to the client (with its code and state)."""
    with requests.Session() as browser:
        page = _follow(browser, authorize_url)
        if isinstance(page, str):
            raise RuntimeError("the provider did not ask who signs in")
        action = page.text.split('action="', 1)[1].split('"', 1)[0]
        answer = browser.post(
            urljoin(page.url, action),
            data={"prompt": "login", "login": login, "password": "any"},
            allow_redirects=False,
            timeout=10,
        )
        back = _follow(browser, urljoin(answer.url, answer.headers["location"]))
        if not isinstance(back, str):
            raise RuntimeError("the provider did not send the person back")
        return back
