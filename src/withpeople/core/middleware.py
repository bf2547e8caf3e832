"""Security headers that Django does not set itself, and compression of pages."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

# Everything comes from our own origin; no inline scripts; images may be data: URIs (QR codes).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def no_compression(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose pages carry a secret of their own, so they are never compressed.

    For pages that show a token in the body on a GET (such as a one-time form token or an
    address that carries one): compressed next to text an attacker can put in the request, the
    length of the response could give the secret away (BREACH). See docs/decisions/0011.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.withpeople_no_compression = True
        return response

    return wrapped


#: Kinds of content worth compressing: text. Receipts (images, PDFs) are compressed already.
COMPRESSIBLE_TYPES = ("text/", "application/json", "image/svg+xml", "application/javascript")


class CompressionMiddleware(GZipMiddleware):
    """Gzip the answers to GET and HEAD requests, except from views marked `no_compression`.

    Answers to POST are never compressed: they are the pages that show one-time secrets (a new
    API token, an invitation link) and that repeat what was sent. CSRF tokens in compressed
    pages are masked afresh in every response, and Django adds random bytes to each compressed
    response ("Heal the BREACH"). docs/decisions/0011-compression.md gives the reasoning.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return response
        if getattr(response, "withpeople_no_compression", False):
            return response
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if not content_type.startswith(COMPRESSIBLE_TYPES):
            return response  # images, PDFs and archives are compressed already
        return super().process_response(request, response)
