"""The rules of single sign-on that need no framework: which email domains a setting covers,
whether a provider vouched for an email address, and whether it asked for a second factor.

See docs/decisions/0022-single-sign-on.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: A domain name: labels of letters, digits and hyphens, at least two of them.
_DOMAIN = re.compile(r"^(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z")

#: Authentication method references (RFC 8176) that mean more than a password: "mfa" (several
#: factors), "otp" (a one-time code), "hwk" (a hardware key), "swk" (a software key, as a
#: passkey), "fido" (FIDO2 / WebAuthn). Entra ID gives "mfa" after its own second factor.
SECOND_FACTOR_METHODS = frozenset({"mfa", "otp", "hwk", "swk", "fido", "sc"})


def email_domain(email: str) -> str:
    """The domain of an email address, in lower case ("" if it has none)."""
    _local, at, domain = email.strip().rpartition("@")
    return domain.lower().rstrip(".") if at else ""


def parse_domains(text: str) -> tuple[list[str], list[str]]:
    """The domains written in `text` (separated by commas, spaces or new lines), in lower case,
    each once and in the order given; and those that are not domain names."""
    domains: list[str] = []
    wrong: list[str] = []
    for part in re.split(r"[\s,;]+", text.strip().lower()):
        part = part.removeprefix("@").rstrip(".")
        if not part:
            continue
        if not _DOMAIN.match(part):
            wrong.append(part)
        elif part not in domains:
            domains.append(part)
    return domains, wrong


def covers(domains: Iterable[str], email: str) -> bool:
    """Whether an email address is at exactly one of these domains (no subdomains)."""
    return email_domain(email) in set(domains)


def email_is_verified(claims: Mapping[str, object], *, trust_provider_email: bool) -> bool:
    """Whether the provider vouches for the `email` claim.

    `email_verified` must be true (the boolean, or the string "true" that some providers send).
    Microsoft Entra ID gives no `email_verified`; where it can, it gives `xms_edov` (the
    domain's owner is verified), which counts. An organisation may also say that it trusts every
    address its provider gives (`trust_provider_email`), for a single-tenant Entra ID whose
    administrators set everyone's address.
    """
    if not isinstance(claims.get("email"), str) or "@" not in claims["email"]:
        return False
    if claims.get("email_verified") in (True, "true"):
        return True
    if claims.get("xms_edov") in (True, "true", 1, "1"):
        return True
    return trust_provider_email


def provider_asked_for_second_factor(claims: Mapping[str, object]) -> bool:
    """Whether the ID token's `amr` names a method beyond a password (RFC 8176)."""
    amr = claims.get("amr")
    if not isinstance(amr, list):
        return False
    return any(isinstance(method, str) and method in SECOND_FACTOR_METHODS for method in amr)
