"""The campus sign-in buttons the sign-in page offers, named in the reader's language."""
from flask import current_app
from flask_babel import get_locale

from app.sso import cas, oidc


def buttons() -> list[tuple[str, str]]:
    """(endpoint, name) for each configured provider."""
    suffix = "ZH" if str(get_locale()).startswith("zh") else "EN"
    offered = []
    if oidc.configured():
        offered.append(("sso.oidc_start", current_app.config[f"OIDC_NAME_{suffix}"]))
    if cas.configured():
        offered.append(("sso.cas_start", current_app.config[f"CAS_NAME_{suffix}"]))
    return offered


def local_accounts() -> str:
    return current_app.config.get("LOCAL_ACCOUNTS", "open")
