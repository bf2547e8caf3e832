"""OpenID Connect with Authlib's Django client: the authorization code flow with PKCE (S256),
state and nonce, the ID token's signature checked against the keys (JWKS) the provider's
discovery document names, and its issuer, audience, expiry and nonce checked.

Each organisation has its own provider, so a client is made for each sign-in from the
organisation's settings rather than registered once at start-up. Authlib keeps the state, the
nonce and the PKCE verifier in the session, under a name that is the setting's.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from joserfc.errors import JoseError

from withpeople.security.models import SingleSignOn
from withpeople.security.sealing import unseal

DISCOVERY_PATH = "/.well-known/openid-configuration"
TIMEOUT_SECONDS = 10
SCOPE = "openid email profile"


class SignInFailed(Exception):
    """The provider's answer could not be trusted: wrong state or nonce, a bad signature, an
    error from the provider, or no ID token."""


class DiscoveryFailed(Exception):
    """The issuer's discovery document could not be fetched or is not an OpenID provider's."""


def _allowed_http(url: str) -> bool:
    """Plain http only to this machine's loopback, and only where settings allow (the tests'
    provider); everything else must be https."""
    if not getattr(settings, "SINGLE_SIGN_ON_ALLOW_LOOPBACK_HTTP", False):
        return False
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def issuer_is_acceptable(issuer: str) -> bool:
    parts = urlsplit(issuer)
    if parts.query or parts.fragment or not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and _allowed_http(issuer))


@dataclass(frozen=True)
class Discovery:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


def discovery_fetch(issuer: str) -> Discovery:
    """The issuer's discovery document, checked: it must name this issuer exactly (OpenID
    Connect Discovery 1.0, section 4.3) and the endpoints a sign-in needs."""
    if not issuer_is_acceptable(issuer):
        raise DiscoveryFailed("not https")
    try:
        response = requests.get(
            issuer.rstrip("/") + DISCOVERY_PATH, timeout=TIMEOUT_SECONDS, allow_redirects=False
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise DiscoveryFailed(str(error)) from error
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise DiscoveryFailed("issuer differs")
    needed = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if not all(isinstance(document.get(key), str) for key in needed):
        raise DiscoveryFailed("endpoints missing")
    if not all(issuer_is_acceptable(document[key]) for key in needed):
        raise DiscoveryFailed("endpoints not https")
    return Discovery(issuer, *(document[key] for key in needed))


def _client(config: SingleSignOn):
    secret = unseal(config.client_secret_sealed)
    if secret is None:
        raise SignInFailed("the client secret cannot be opened; save it again")
    oauth = OAuth()
    return oauth.register(
        name=f"sso{config.pk}",
        client_id=config.client_id,
        client_secret=secret,
        server_metadata_url=config.issuer.rstrip("/") + DISCOVERY_PATH,
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "timeout": TIMEOUT_SECONDS,
        },
    )


def authorize_redirect(
    request: HttpRequest, config: SingleSignOn, *, redirect_uri: str, login_hint: str
) -> HttpResponse:
    """Send the person to their provider to sign in."""
    try:
        return _client(config).authorize_redirect(request, redirect_uri, login_hint=login_hint)
    except (requests.RequestException, ValueError, RuntimeError) as error:
        raise SignInFailed(str(error)) from error


def claims_from_callback(request: HttpRequest, config: SingleSignOn) -> dict:
    """The ID token's claims, once state, code (with the PKCE verifier), signature, issuer,
    audience, expiry and nonce have all been checked. Raises SignInFailed otherwise."""
    try:
        token = _client(config).authorize_access_token(request)
    except (
        OAuthError,
        AuthlibBaseError,
        JoseError,
        requests.RequestException,
        ValueError,
        KeyError,
    ) as error:
        raise SignInFailed(str(error)) from error
    claims = token.get("userinfo")
    if not claims:
        raise SignInFailed("no ID token")
    return dict(claims)
