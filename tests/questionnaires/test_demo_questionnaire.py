"""The demo's open call carries a questionnaire that some patrons have answered."""
from app import demo
from app.calls.queries import calls_at
from app.extensions import db
from app.proposals.calls import clock
from app.questionnaires import queries, services


def test_the_open_demo_call_carries_an_answered_questionnaire(app, client, login, make_user):
    assert demo.seed(echo=lambda _line: None) is True
    db.session.commit()
    open_call = calls_at(clock()).open[0]
    questionnaire = services.of_call(open_call)
    assert questionnaire is not None and len(questionnaire.questions) == 4
    assert questionnaire.questions[0].text_zh == "你多久在三楼学习一次？"
    found = queries.results(questionnaire)
    assert found.respondents.total == 5 and len(found.patron_types) >= 2
    assert "Answer the questionnaire" in client.get(f"/calls/{open_call.id}").text
    login(make_user(role="staff"))
    page = client.get(f"/calls/{open_call.id}/questionnaire/results").text
    assert "5 people answered." in page and "Please keep the big windows." in page
    assert "插座越多越好。" in page  # given anonymously: the text, no name
    assert demo.seed(echo=lambda _line: None) is False  # nothing twice
