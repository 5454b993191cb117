"""geo.web.access: the read-only rule and the password check."""
from __future__ import annotations

import pytest

from geo.web import access


@pytest.mark.parametrize("address, loopback", [
    ("127.0.0.1", True), ("127.0.1.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("::", False), ("", False), (None, False), ("192.168.1.5", False),
    ("example.org", False),
])
def test_loopback_addresses(address, loopback):
    assert access.is_loopback(address) is loopback


def test_edit_mode_follows_password_then_address():
    assert access.edit_mode(None, "127.0.0.1") == access.OPEN
    assert access.edit_mode("", "0.0.0.0") == access.READ_ONLY
    assert access.edit_mode(None, "") == access.READ_ONLY  # Streamlit's default binds every interface
    assert access.edit_mode("pw", "127.0.0.1") == access.LOCKED
    assert access.edit_mode("pw", "0.0.0.0") == access.LOCKED


def test_check_password():
    assert access.check_password("正确的密码 right", "正确的密码 right")
    assert not access.check_password("wrong", "正确的密码 right")
    assert not access.check_password("正确的密码 right" + " ", "正确的密码 right")
    assert not access.check_password("", "x") and not access.check_password("x", None)
    assert not access.check_password(None, None)
