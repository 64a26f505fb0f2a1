"""What a provider says about a person, read the way the library configured it."""
import json
from dataclasses import dataclass, field

from flask import current_app

from app.auth.models import PatronType, Role


@dataclass(frozen=True)
class Identity:
    provider: str  # "oidc" or "cas"
    subject: str
    name: str = ""
    email: str | None = None
    affiliations: tuple[str, ...] = ()
    groups: tuple[str, ...] = field(default=())
    # The provider vouches for the address: OIDC's email_verified, or a CAS directory's mail.
    email_verified: bool = False


def _values(raw) -> tuple[str, ...]:
    """A claim may be one string, a list, or (some CAS servers) a comma-separated string."""
    if raw is None:
        return ()
    items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())


def read(provider: str, subject: str, claims: dict) -> Identity:
    settings = current_app.config
    email = claims.get("email") or claims.get("mail")
    if isinstance(email, list):
        email = email[0] if email else None
    if claims.get("email_verified") is False:  # an address the provider has not checked
        email = None
    name = claims.get("name") or claims.get("displayName") or claims.get("cn") or " ".join(
        str(claims[part]) for part in ("firstname", "lastname") if claims.get(part))
    if isinstance(name, list):
        name = name[0] if name else ""
    return Identity(
        provider=provider, subject=str(subject), name=str(name).strip()[:80],
        email=str(email).strip().lower() if email else None,
        affiliations=_values(claims.get(settings["SSO_AFFILIATION_CLAIM"])),
        groups=_values(claims.get(settings["SSO_GROUPS_CLAIM"])),
        email_verified=bool(email) and (provider == "cas" or claims.get("email_verified") is True),
    )


def patron_type(identity: Identity) -> str:
    table = json.loads(current_app.config["SSO_PATRON_TYPES"] or "{}")
    for affiliation in identity.affiliations:
        mapped = table.get(affiliation) or table.get(affiliation.lower())
        if mapped in {kind.value for kind in PatronType}:
            return mapped
    return PatronType.OTHER.value


def _configured(name: str) -> set[str]:
    return {group.strip() for group in current_app.config[name].split(",") if group.strip()}


def granted_role(identity: Identity) -> tuple[str, str] | None:
    """The library role a configured group grants, with the group; never from what a user typed."""
    for role, setting in ((Role.ADMIN, "SSO_ADMIN_GROUPS"), (Role.STAFF, "SSO_STAFF_GROUPS")):
        matched = sorted(_configured(setting) & set(identity.groups))
        if matched:
            return role.value, matched[0]
    return None
