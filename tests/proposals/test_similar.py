from app.proposals import search
from app.proposals.models import Status


def test_similar_finds_the_same_idea_in_english_and_chinese(make_proposal):
    seats = make_proposal(title="More quiet seats in the reading room")
    make_proposal(title="Longer opening hours at weekends")
    zh = make_proposal(title="图书馆自习室座位不够")
    assert search.similar("quiet seats please") == [seats]
    assert search.similar("自习室座位太少") == [zh]
    assert search.similar("printing") == []


def test_similar_ignores_unpublished_and_hidden(make_proposal):
    make_proposal(title="More quiet seats in the reading room", status=Status.SUBMITTED)
    make_proposal(title="Quiet seats for everyone", status=Status.REJECTED)
    assert search.similar("quiet seats") == []


def test_similar_partial_offers_a_support_button(client, login, make_user, make_proposal):
    proposal = make_proposal(title="More quiet seats in the reading room")
    login(make_user())
    response = client.get("/proposals/similar", query_string={"title": "quiet seats"},
                          headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text
    assert proposal.title in response.text
    assert f'/proposals/{proposal.id}/support' in response.text


def test_similar_with_nothing_typed_is_empty(client):
    assert client.get("/proposals/similar").text.strip() == ""
    assert client.get("/proposals/similar?title=" + "x" * 10000).status_code == 200
