import pytest

from app.auth.safety import is_safe_next


@pytest.mark.parametrize("target", [
    "/", "/proposals", "/proposals/1", "/proposals?sort=new&page=2", "/proposals/1#comments",
])
def test_a_path_on_this_site_is_safe(target):
    assert is_safe_next(target) is True


@pytest.mark.parametrize("target", [
    None, "",
    "proposals/1",  # relative: resolves against wherever the sign-in page is
    "https://evil.example/", "HTTP://evil.example", "javascript:alert(1)",
    "//evil.example", "///evil.example",  # protocol-relative
    "/\\evil.example", "\\\\evil.example", "\\/evil.example",  # browsers read \ as /
    "/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: x=1",  # browsers drop tab/newline
    " //evil.example",
])
def test_anything_that_can_leave_the_site_is_refused(target):
    assert is_safe_next(target) is False
