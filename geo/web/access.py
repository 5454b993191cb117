"""Who may change the store: the editor password and the read-only rule (no streamlit here).

Viewers always read. Editing records, uploading articles and rebuilding the store need the editor
password when one is configured (GEO_EDITOR_PASSWORD, or `editor_password` in Streamlit secrets);
with none configured, the app edits freely on a loopback address (one analyst's own machine) and is
read-only once it listens beyond it. Passwords are compared as SHA-256 digests with
hmac.compare_digest (constant time, whatever the lengths); they never go in a URL or a log.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress

OPEN = "open"  # no password configured, loopback only: everyone may edit
LOCKED = "locked"  # a password is configured: editing after unlocking
READ_ONLY = "read_only"  # no password configured and reachable from other machines
PASSWORD_ENV = "GEO_EDITOR_PASSWORD"
SECRET_KEY = "editor_password"


def is_loopback(address: str | None) -> bool:
    """True when a server bound to `address` is reachable from this machine only.

    "" / None / "0.0.0.0" / "::" mean every interface (Streamlit's default is all of them).
    """
    address = (address or "").strip().strip("[]")
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:  # a host name or an empty address: assume it is reachable from outside
        return False


def edit_mode(password: str | None, address: str | None) -> str:
    """OPEN, LOCKED or READ_ONLY for a configured `password` (None/"" = none) and the bound address."""
    if password:
        return LOCKED
    return OPEN if is_loopback(address) else READ_ONLY


def check_password(supplied: str | None, expected: str | None) -> bool:
    """True when `supplied` is the configured password (False when none is configured)."""
    if not supplied or not expected:
        return False
    return hmac.compare_digest(_digest(supplied), _digest(expected))


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()
