"""Issue 21, item 8 (layout): the signed-in header's account menu, the proposal list's folding
filters and what search says it found."""
import re

import pytest


def account_menu(page: str) -> str:
    found = re.search(r'<details class="header-menu account-menu">(.*?)</details>', page, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize("role", ["patron", "staff", "admin"])
def test_signed_in_the_account_language_and_sign_out_sit_in_one_menu(client, login, make_user,
                                                                      role):
    login(make_user(role=role, name="Wen Li"))
    page = client.get("/proposals").text
    menu = account_menu(page)
    assert re.search(r"<summary>.*Wen Li.*</summary>", menu, re.S)
    assert 'href="/account' in menu and ">Your account<" in menu
    assert 'class="language-switch"' in menu and "简体中文" in menu
    assert ">Sign out<" in menu
    # Once each: the menu holds them, the header no longer repeats them.
    assert page.count('class="language-switch"') == 1 and page.count(">Sign out<") == 1
    assert ("staff</span>" in menu) is (role != "patron")


def test_the_menu_speaks_chinese_too(client, login, make_user):
    login(make_user(name="Wen Li"))
    page = client.get("/proposals", headers={"Accept-Language": "zh-CN"}).text
    menu = account_menu(page)
    assert "我的账号" in menu and "退出登录" in menu and "English" in menu


def test_visitors_keep_the_language_switch_in_the_header(client):
    page = client.get("/proposals").text
    assert 'account-menu' not in page
    assert page.count('class="language-switch"') == 1 and ">Sign in<" in page


def test_the_list_and_a_call_share_one_filter_form_folded_behind_filters(client, make_call,
                                                                         make_proposal):
    call = make_call()
    for path in ("/proposals", f"/calls/{call.id}"):
        page = client.get(path).text
        assert page.count('<details class="filters-fold"') == 1, path
        assert re.search(r'<details class="filters-fold"\s*>\s*<summary class="filters-toggle">'
                         r'Filters</summary>', page), path
        assert 'id="q"' in page and 'id="category"' in page and 'id="sort"' in page
    # A chosen filter keeps the fold open, so a phone shows what narrows the list.
    page = client.get("/proposals?status=open").text
    assert re.search(r'<details class="filters-fold"\s*open\s*>', page)


def test_search_says_how_many_it_found(client, make_proposal):
    for n in range(3):
        make_proposal(title=f"Quiet seats on floor {n + 2} please")
    make_proposal(title="Longer opening hours in exam weeks")
    page = client.get("/proposals?q=quiet+seats").text
    assert re.search(r'<p id="results-count" class="results-count" role="status">\s*'
                     r'3 proposals found\s*</p>', page)
    page = client.get("/proposals?q=exam+weeks").text
    assert "1 proposal found" in page
    assert re.search(r'id="results-count"[^>]*>\s*</p>', client.get("/proposals").text)


def test_htmx_updates_the_count_in_the_live_region(client, make_proposal):
    make_proposal(title="Quiet seats on the third floor")
    page = client.get("/proposals?q=quiet+seats", headers={"HX-Request": "true"}).text
    assert page.lstrip().startswith('<section id="results"')
    assert re.search(r'<div data-hx-swap-oob="innerHTML:#results-count">\s*1 proposal found\s*'
                     r'</div>', page)


def test_search_in_chinese_counts_in_chinese(client, make_proposal):
    make_proposal(title="图书馆三楼自习室座位不够用")
    page = client.get("/proposals?q=自习室座位", headers={"Accept-Language": "zh-CN"}).text
    assert re.search(r"找到\s*1\s*条建议", page)


def test_a_search_that_found_nothing_offers_to_propose_it(client, login, make_user):
    page = client.get("/proposals?q=more+power+sockets").text
    assert "0 proposals found" in page
    assert re.search(r'<a [^>]*href="/proposals/new\?title=more\+power\+sockets"[^>]*>'
                     r'Propose it</a>', page)
    login(make_user())
    form = client.get("/proposals/new?title=more+power+sockets").text
    assert re.search(r'<input[^>]*id="title"[^>]*value="more power sockets"', form)
    hostile = client.get("/proposals/new?title=%00%3Cscript%3E" + "x" * 400)
    assert hostile.status_code == 200 and "<script>x" not in hostile.text
