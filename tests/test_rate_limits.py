"""Rate limits: sign-in per account and per address, registration per address, and what one patron
may post. The testing config turns limits off; these tests turn them on for themselves, with small
numbers, and check that request N+1 gets the friendly 429 page."""
import pytest

from app import create_app
from app.auth.models import User
from app.extensions import db, limiter
from app.moderation.models import Flag
from app.proposals.models import Branch, Category, Comment, Proposal, Status, Support
from tests.conftest import PASSWORD, IsolatedClient, count


@pytest.fixture
def limits_on(app, monkeypatch):
    """Limits on for this test only, each at a generous number unless the test lowers it."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    for name in ("SIGN_IN_PER_ACCOUNT", "SIGN_IN_PER_ADDRESS", "REGISTER_PER_ADDRESS",
                 "PROPOSALS", "COMMENTS", "SUPPORTS", "FLAGS", "MAIL_PER_ACCOUNT",
                 "MAIL_PER_ADDRESS"):
        monkeypatch.setitem(app.config, f"RATELIMIT_{name}", "1000 per hour")
    limiter.reset()
    yield lambda name, value: monkeypatch.setitem(app.config, f"RATELIMIT_{name}", value)
    limiter.reset()


@pytest.fixture
def make_app(app, database_url):
    """Another app on the test database, with its own settings; its engine closed afterwards."""
    made = []

    def make(**overrides):
        made.append(create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url}
                               | overrides))
        made[-1].test_client_class = IsolatedClient
        return made[-1]
    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


def from_address(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def assert_friendly_429(response):
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    page = response.text
    assert "Too many requests" in page and "Please try again in" in page
    assert 'class="site-header"' in page and 'id="main"' in page  # the site layout around it


def failed_sign_in(client, email, address="198.51.100.1"):
    return client.post("/auth/login", data={"email": email, "password": "not the password"},
                       **from_address(address))


def proposal_form(n: int = 0) -> dict:
    return {"title": f"Longer opening hours number {n}",
            "problem": "The library closes before the evening lectures end.",
            "suggestion": "Keep the ground floor open until eleven on weekdays.",
            "category_id": db.session.query(Category.id).first()[0],
            "branch_id": db.session.query(Branch.id).first()[0],
            # The same idea each time: sent as after the hint (JavaScript), with no step first.
            "similar_hinted": "1"}


# --- Off unless asked ----------------------------------------------------------------------

def test_limits_are_off_in_the_testing_config(client, make_user):
    user = make_user()
    for _ in range(30):
        assert failed_sign_in(client, user.email).status_code == 422


def test_an_app_with_limits_on_leaves_the_others_alone(client, make_user, make_app):
    other = make_app(RATELIMIT_ENABLED=True, RATELIMIT_SIGN_IN_PER_ACCOUNT="1 per hour")
    user = make_user()
    assert failed_sign_in(other.test_client(), user.email).status_code == 422
    assert failed_sign_in(other.test_client(), user.email).status_code == 429
    assert failed_sign_in(client, user.email).status_code == 422  # this app's limits stay off


# --- Signing in ----------------------------------------------------------------------------

def test_sign_in_is_limited_per_account(client, make_user, limits_on):
    limits_on("SIGN_IN_PER_ACCOUNT", "3 per minute")
    target, bystander = make_user(), make_user()
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):  # spread over addresses
        assert failed_sign_in(client, target.email, address).status_code == 422

    assert_friendly_429(failed_sign_in(client, target.email, "198.51.100.4"))
    # The same account however it is typed, even with the right password:
    response = client.post("/auth/login", data={"email": f"  {target.email.upper()} ",
                                                "password": PASSWORD})
    assert response.status_code == 429
    # Another account from the same address is not held back.
    assert failed_sign_in(client, bystander.email, "198.51.100.4").status_code == 422
    assert client.post("/auth/login", data={"email": bystander.email,
                                            "password": PASSWORD}).status_code == 303


def test_sign_in_is_limited_per_address(client, make_user, limits_on):
    limits_on("SIGN_IN_PER_ADDRESS", "3 per minute")
    for n in range(3):
        assert failed_sign_in(client, f"someone{n}@example.edu", "203.0.113.9").status_code == 422

    assert_friendly_429(failed_sign_in(client, "someone.else@example.edu", "203.0.113.9"))
    assert failed_sign_in(client, "someone.else@example.edu", "203.0.113.10").status_code == 422


def test_successful_sign_ins_do_not_count(client, make_user, limits_on):
    limits_on("SIGN_IN_PER_ACCOUNT", "2 per minute")
    limits_on("SIGN_IN_PER_ADDRESS", "2 per minute")
    user = make_user()
    for _ in range(4):
        assert client.post("/auth/login", data={"email": user.email,
                                                "password": PASSWORD}).status_code == 303
        client.post("/auth/logout")


def test_the_sign_in_page_itself_is_never_limited(client, make_user, limits_on):
    limits_on("SIGN_IN_PER_ADDRESS", "1 per minute")
    failed_sign_in(client, "a@example.edu", "127.0.0.1")
    assert failed_sign_in(client, "b@example.edu", "127.0.0.1").status_code == 429
    assert client.get("/auth/login").status_code == 200


# --- Registration --------------------------------------------------------------------------

def registration(n: int) -> dict:
    return {"email": f"new{n}@example.edu", "display_name": f"New Patron {n}",
            "patron_type": "undergraduate", "password": "a long enough password"}


def test_registration_is_limited_per_address(client, limits_on):
    limits_on("REGISTER_PER_ADDRESS", "2 per hour")
    assert client.post("/auth/register", data=registration(1),
                       **from_address("192.0.2.1")).status_code == 303
    client.post("/auth/logout")
    assert client.post("/auth/register", data=registration(2) | {"password": "short"},
                       **from_address("192.0.2.1")).status_code == 422  # refusals count too

    assert_friendly_429(client.post("/auth/register", data=registration(3),
                                    **from_address("192.0.2.1")))
    assert count(User) == 1
    assert client.post("/auth/register", data=registration(4),
                       **from_address("192.0.2.2")).status_code == 303


def test_behind_a_proxy_the_forwarded_address_counts(make_app):
    proxied = make_app(RATELIMIT_ENABLED=True, PROXY_FIX=1,
                       RATELIMIT_REGISTER_PER_ADDRESS="1 per hour")
    client = proxied.test_client()

    def register(n, forwarded_for):
        return client.post("/auth/register", data=registration(n),
                           headers={"X-Forwarded-For": forwarded_for})

    assert register(10, "203.0.113.50").status_code == 303
    assert register(11, "203.0.113.50").status_code == 429
    assert register(12, "203.0.113.51").status_code == 303


def test_without_a_proxy_a_forged_forwarded_address_changes_nothing(client, limits_on):
    limits_on("REGISTER_PER_ADDRESS", "1 per hour")
    client.post("/auth/register", data=registration(20), headers={"X-Forwarded-For": "1.1.1.1"})
    client.post("/auth/logout")
    response = client.post("/auth/register", data=registration(21),
                           headers={"X-Forwarded-For": "2.2.2.2"})
    assert response.status_code == 429


# --- What a patron posts -------------------------------------------------------------------

def test_new_proposals_are_limited_per_patron(client, login, make_user, limits_on):
    limits_on("PROPOSALS", "2 per hour")
    patron = make_user()
    login(patron)
    assert client.post("/proposals/new", data=proposal_form(1)).status_code == 303
    assert client.post("/proposals/new", data=proposal_form(2) | {"title": ""}).status_code == 422
    assert client.post("/proposals/new", data=proposal_form(3)).status_code == 303  # refusal free

    assert_friendly_429(client.post("/proposals/new", data=proposal_form(4)))
    assert count(Proposal) == 2
    assert client.get("/proposals/new").status_code == 200  # the form still opens

    client.post("/auth/logout")
    login(make_user())
    assert client.post("/proposals/new", data=proposal_form(5)).status_code == 303


def test_comments_are_limited_per_patron(client, login, make_user, make_proposal, limits_on):
    limits_on("COMMENTS", "2 per minute")
    first, second = make_proposal(), make_proposal()
    login(make_user())
    for proposal in (first, second):
        response = client.post(f"/proposals/{proposal.id}/comments", data={"body": "Agreed."})
        assert response.status_code == 303

    assert_friendly_429(client.post(f"/proposals/{first.id}/comments", data={"body": "Again"}))
    assert count(Comment) == 2
    db.session.refresh(first)
    assert first.comment_count == 1


def test_supports_are_limited_per_patron(client, login, make_user, make_proposal, limits_on):
    limits_on("SUPPORTS", "2 per minute")
    proposals = [make_proposal() for _ in range(3)]
    login(make_user())
    for proposal in proposals[:2]:
        response = client.post(f"/proposals/{proposal.id}/support", data={"want": "support"})
        assert response.status_code == 303

    assert_friendly_429(client.post(f"/proposals/{proposals[2].id}/support",
                                    data={"want": "support"}))
    assert count(Support) == 2
    db.session.refresh(proposals[2])
    assert proposals[2].support_count == 0


def test_htmx_at_the_limit_shows_the_message_in_the_flash_region(client, login, make_user,
                                                                 make_proposal, limits_on):
    limits_on("SUPPORTS", "1 per minute")
    proposal = make_proposal()
    login(make_user())
    htmx = {"HX-Request": "true"}
    client.post(f"/proposals/{proposal.id}/support", data={"want": "support"}, headers=htmx)

    response = client.post(f"/proposals/{proposal.id}/support", data={"want": "withdraw"},
                           headers=htmx)
    assert response.status_code == 429
    assert response.headers["HX-Retarget"] == "#flash"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert int(response.headers["Retry-After"]) > 0
    assert 'class="flash flash-error"' in response.text
    assert "Please try again in" in response.text
    assert "<html" not in response.text  # a fragment, not a page
    assert count(Support) == 1


def test_flags_are_limited_per_patron_across_proposals_and_comments(
        client, login, make_user, make_proposal, limits_on):
    limits_on("FLAGS", "2 per hour")
    author = make_user()
    first, second = make_proposal(author=author), make_proposal(author=author)
    comment = Comment(proposal_id=first.id, author_id=author.id, body="Buy more chairs.")
    db.session.add(comment)
    db.session.commit()
    login(make_user())
    assert client.post(f"/proposals/{first.id}/flag", data={"reason": "spam"}).status_code == 303
    assert client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}).status_code == 303

    assert_friendly_429(client.post(f"/proposals/{second.id}/flag", data={"reason": "spam"}))
    assert count(Flag) == 2


def test_staff_are_not_held_back(client, login, make_user, make_proposal, limits_on):
    limits_on("PROPOSALS", "1 per hour")
    limits_on("COMMENTS", "1 per hour")
    proposal = make_proposal(status=Status.OPEN)
    login(make_user(role="staff"))
    for n in range(3):  # entering ideas heard at the desk, answering in a row
        assert client.post("/proposals/new", data=proposal_form(n)).status_code == 303
        assert client.post(f"/proposals/{proposal.id}/comments",
                           data={"body": f"Answer {n}"}).status_code == 303


def test_visitors_are_sent_to_sign_in_not_counted(client, make_proposal, limits_on):
    limits_on("SUPPORTS", "1 per minute")
    proposal = make_proposal()
    for _ in range(3):
        response = client.post(f"/proposals/{proposal.id}/support")
        assert response.status_code == 302 and "/auth/login" in response.location


def test_reset_requests_are_limited_per_account_and_per_address(client, limits_on, make_user):
    limits_on("MAIL_PER_ACCOUNT", "2 per hour")
    limits_on("MAIL_PER_ADDRESS", "4 per hour")  # the refused third request counts too
    user = make_user()
    for _ in range(2):
        assert client.post("/auth/reset", data={"email": user.email}).status_code == 303
    assert client.post("/auth/reset", data={"email": user.email.upper()}).status_code == 429
    assert client.post("/auth/reset", data={"email": "other@example.edu"}).status_code == 303
    assert client.post("/auth/reset", data={"email": "third@example.edu"}).status_code == 429
