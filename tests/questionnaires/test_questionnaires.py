"""A call's questionnaire: staff build it, patrons answer once and may change their answers
while the call is open, anonymous answers never name their writer, results add up by patron
type and go public only when staff say so after the call closed."""
import csv
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit import AuditEntry
from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.questionnaires import queries, services
from app.questionnaires.models import Questionnaire, Response
from tests.calls.moments import BEFORE, COLLECTING, ENDED, RESULTS, REVIEWING, SUPPORTING


def _answers(questionnaire, *, single=1, multiple=(0, 1), scale=4, ranking=(2, 0, 1),
             text="More sockets, please.", anonymous=False) -> dict:
    """A form submission: ranking gives each option its place (option index → place)."""
    q = {question.kind: question.id for question in questionnaire.questions}
    data = {f"q{q['single']}": str(single), f"q{q['multiple']}": [str(i) for i in multiple],
            f"q{q['scale']}": str(scale), f"q{q['text']}": text}
    for place, index in enumerate(ranking, start=1):
        data[f"q{q['ranking']}_{index}"] = str(place)
    if anonymous:
        data["anonymous"] = "y"
    return data


def _responses(questionnaire) -> list[Response]:
    db.session.expire_all()
    return list(db.session.scalars(select(Response).where(
        Response.questionnaire_id == questionnaire.id)))


def _url(questionnaire, tail: str = "") -> str:
    return f"/calls/{questionnaire.call_id}/questionnaire{tail}"


# Building it

@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 303), ("admin", 303)])
def test_only_staff_and_admins_add_questions(client, login, make_user, make_call, role,
                                             expected):
    call = make_call()
    login(make_user(role=role))
    response = client.post(f"/calls/{call.id}/questionnaire/edit", data={
        "kind": "single", "text_en": "Which floor?", "options_en": "2\n3"})
    assert response.status_code == expected
    questionnaire = services.of_call(call)
    assert (questionnaire is not None and len(questionnaire.questions) == 1) == (expected == 303)


def test_a_visitor_is_sent_to_sign_in_to_build_or_answer(client, make_questionnaire):
    questionnaire = make_questionnaire()
    response = client.post(_url(questionnaire, "/edit"), data={"kind": "text",
                                                                "text_en": "Why?"})
    assert response.status_code == 302 and "/auth/login" in response.location
    response = client.post(_url(questionnaire), data=_answers(questionnaire))
    assert response.status_code == 302 and "/auth/login" in response.location
    assert _responses(questionnaire) == []


@pytest.mark.parametrize("fields, message", [
    ({"kind": "single", "text_en": "Which floor?", "options_en": "Only one"},
     "Give between 2 and 12 options"),
    ({"kind": "ranking", "text_en": "Rank", "options_en": "a\nb\nc\nd\ne\nf"},
     "Give between 2 and 5 options"),
    ({"kind": "multiple", "text_en": "Which?", "options_en": "a\nb\nc", "max_choices": "4"},
     "no more than there are options"),
    ({"kind": "single", "text_en": "Which?", "options_en": "a\nb", "options_zh": "甲"},
     "as many options in Chinese as in English"),
    ({"kind": "scale", "text_en": "", "text_zh": ""}, "Write the question"),
])
def test_a_badly_built_question_is_refused_with_what_was_typed(client, login, staff, make_call,
                                                               fields, message):
    call = make_call()
    login(staff)
    response = client.post(f"/calls/{call.id}/questionnaire/edit", data=fields)
    assert response.status_code == 422
    assert message in response.text
    if fields["text_en"]:
        assert f'value="{fields["text_en"]}"' in response.text
    questionnaire = services.of_call(call)
    assert questionnaire is None or questionnaire.questions == []


def test_questions_stay_as_they_were_answered(client, login, make_user, staff,
                                              make_questionnaire):
    questionnaire = make_questionnaire()
    first = questionnaire.questions[0]
    login(make_user())
    assert client.post(_url(questionnaire), data=_answers(questionnaire)).status_code == 303
    login(staff)
    response = client.post(_url(questionnaire, f"/questions/{first.id}/delete"),
                           follow_redirects=True)
    assert "the questions can no longer change" in response.text
    db.session.expire_all()
    assert len(db.session.get(Questionnaire, questionnaire.id).questions) == 5
    with pytest.raises(Refused, match="no longer change"):
        services.add_question(questionnaire.call, by=staff, kind="text", text_en="One more?")


def test_building_and_publishing_are_in_the_audit_log(client, login, staff, make_call, clock):
    call = make_call()
    login(staff)
    client.post(f"/calls/{call.id}/questionnaire/edit", data={"kind": "scale",
                                                              "text_en": "How quiet?"})
    clock(RESULTS)
    client.post(f"/calls/{call.id}/questionnaire/results/public", data={"public": "1"})
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.subject_type, e.subject_id, e.actor_id) for e in entries][-2:] == [
        ("add_question", "call", call.id, staff.id), ("publish_results", "call", call.id,
                                                       staff.id)]


# Answering

def test_the_call_page_offers_the_questionnaire_while_open(client, login, make_user,
                                                           make_questionnaire, clock):
    questionnaire = make_questionnaire()
    login(make_user())
    page = client.get(f"/calls/{questionnaire.call_id}").text
    assert "Answer the questionnaire" in page and "5 short questions" in page
    form = client.get(_url(questionnaire)).text
    assert "Which floor do you study on most?" in form and "Send my answers" in form
    clock(REVIEWING)
    assert "Answer the questionnaire" not in client.get(f"/calls/{questionnaire.call_id}").text


@pytest.mark.parametrize("moment", [COLLECTING, SUPPORTING])
def test_a_second_answer_replaces_the_first(client, login, make_user, make_questionnaire, clock,
                                            moment):
    questionnaire = make_questionnaire()
    clock(moment)
    patron = make_user()
    login(patron)
    assert client.post(_url(questionnaire), data=_answers(questionnaire)).status_code == 303
    page = client.get(_url(questionnaire)).text
    assert "You answered on" in page and "Change my answers" in page
    assert client.post(_url(questionnaire), data=_answers(
        questionnaire, single=2, multiple=(3,), scale=1, ranking=(1,), text="Later thoughts",
        anonymous=True)).status_code == 303
    rows = _responses(questionnaire)
    assert len(rows) == 1
    q = {question.kind: str(question.id) for question in questionnaire.questions}
    assert rows[0].answers == {q["single"]: 2, q["multiple"]: [3], q["scale"]: 1,
                               q["ranking"]: [1], q["text"]: "Later thoughts"}
    assert rows[0].anonymous is True
    shown = client.get(_url(questionnaire)).text  # the form shows the answers kept
    assert "Later thoughts" in shown and 'value="2" checked' in shown


@pytest.mark.parametrize("moment, reason", [
    (BEFORE, "only while the call collects ideas or supports them"),
    (REVIEWING, "only while the call collects ideas or supports them"),
    (RESULTS, "only while the call collects ideas or supports them"),
    (ENDED, "only while the call collects ideas or supports them"),
])
def test_answering_outside_the_open_phases_is_refused_with_422_and_a_reason(
        client, login, make_user, make_questionnaire, clock, moment, reason):
    questionnaire = make_questionnaire()
    patron = make_user()
    login(patron)
    client.post(_url(questionnaire), data=_answers(questionnaire, text="First"))
    clock(moment)
    response = client.post(_url(questionnaire), data=_answers(questionnaire, text="Too late"))
    assert response.status_code == 422
    assert reason in response.text
    rows = _responses(questionnaire)
    assert [r.answers[str(questionnaire.questions[-1].id)] for r in rows] == ["First"]
    page = client.get(_url(questionnaire)).text
    assert 'id="questionnaire-closed"' in page and "Send my answers" not in page


@pytest.mark.parametrize("changes, field_kind, message", [
    ({"multiple": (0, 1, 2)}, "multiple", "Choose at most 2 options."),
    ({"single": 7}, "single", "Choose one of the options."),
    ({"scale": 6}, "scale", "Choose a value from 1 to 5."),
    ({"text": "x" * 501}, "text", "Keep the answer under 500 characters."),
])
def test_a_wrong_answer_is_refused_beside_its_question_and_nothing_is_kept(
        client, login, make_user, make_questionnaire, changes, field_kind, message):
    questionnaire = make_questionnaire()
    login(make_user())
    response = client.post(_url(questionnaire), data=_answers(questionnaire, **changes))
    assert response.status_code == 422
    question = next(q for q in questionnaire.questions if q.kind == field_kind)
    assert f'<p class="error" id="q{question.id}-error">{message}</p>' in response.text
    assert _responses(questionnaire) == []


def test_two_options_in_the_same_place_are_refused(client, login, make_user,
                                                   make_questionnaire):
    questionnaire = make_questionnaire()
    login(make_user())
    data = _answers(questionnaire)
    ranking = next(q for q in questionnaire.questions if q.kind == "ranking")
    data[f"q{ranking.id}_0"] = data[f"q{ranking.id}_1"] = "1"
    response = client.post(_url(questionnaire), data=data)
    assert response.status_code == 422 and "Give each option a different place." in response.text
    assert 'value="1" selected' in response.text  # what was chosen comes back
    assert _responses(questionnaire) == []


def test_the_database_itself_refuses_a_second_row_for_a_patron(make_user, make_questionnaire):
    questionnaire = make_questionnaire()
    patron = make_user()
    for _ in range(2):
        db.session.add(Response(questionnaire_id=questionnaire.id, patron_id=patron.id,
                                patron_type=patron.patron_type, answers={}))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_twenty_simultaneous_submissions_by_one_patron_leave_one_whole_row(
        app, make_user, make_questionnaire):
    questionnaire = make_questionnaire()
    patron_id, questionnaire_id = make_user().id, questionnaire.id
    texts = [f"Answer number {n}" for n in range(20)]
    db.session.rollback()  # the test's session holds no lock while the answers arrive
    refused = []

    def submit(n):
        with app.app_context():
            try:
                found = db.session.get(Questionnaire, questionnaire_id)
                q = {question.kind: question.id for question in found.questions}
                services.answer(found, db.session.get(User, patron_id), {
                    q["single"]: n % 3, q["multiple"]: [n % 4], q["scale"]: n % 5 + 1,
                    q["ranking"]: [n % 3], q["text"]: texts[n]}, anonymous=bool(n % 2))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - every failure is counted, none hidden
                refused.append(error)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(submit, range(20)))
    assert refused == []
    rows = _responses(db.session.get(Questionnaire, questionnaire_id))
    assert len(rows) == 1
    kept = rows[0].answers
    n = texts.index(kept[str(questionnaire.questions[-1].id)])  # one submission, whole
    q = {question.kind: str(question.id) for question in questionnaire.questions}
    assert kept == {q["single"]: n % 3, q["multiple"]: [n % 4], q["scale"]: n % 5 + 1,
                    q["ranking"]: [n % 3], q["text"]: texts[n]}
    assert rows[0].anonymous is bool(n % 2)


# Results

def _answered_by_three_types(client, login, make_user, questionnaire):
    people = [make_user(name="Secret Sun", email="secret.sun@example.edu"),
              make_user(name="Open Li", patron_type="postgraduate"),
              make_user(name="Faculty Zhao", patron_type="faculty"),
              make_user(name="Second Undergrad")]
    choices = [dict(single=0, multiple=(0, 1), scale=5, ranking=(0, 1, 2),
                    text="=HYPERLINK(\"http://evil.example\")", anonymous=True),
               dict(single=1, multiple=(1,), scale=3, ranking=(2, 1), text="Open words"),
               dict(single=1, multiple=(1, 3), scale=4, ranking=(1,), text=""),
               dict(single=2, multiple=(0,), scale=2, ranking=(2, 0, 1), text="",
                    anonymous=True)]
    for person, answer in zip(people, choices, strict=True):
        login(person)
        assert client.post(_url(questionnaire), data=_answers(questionnaire, **answer)
                           ).status_code == 303
    return people


def test_results_by_patron_type_add_up(client, login, make_user, staff, make_questionnaire):
    questionnaire = make_questionnaire()
    _answered_by_three_types(client, login, make_user, questionnaire)
    found = queries.results(questionnaire)
    assert [kind.value for kind in found.patron_types] == ["undergraduate", "postgraduate",
                                                           "faculty"]
    assert found.respondents.total == 4 == sum(found.respondents.by_type.values())
    assert found.respondents.by_type == {"undergraduate": 2, "postgraduate": 1, "faculty": 1}
    for result in found.questions:
        for row in [result.respondents, *result.rows]:
            assert sum(row.by_type.values()) == row.total, (result.question.kind, row.label)
    single, multiple, scale, ranking, text = found.questions
    assert [row.total for row in single.rows] == [1, 2, 1]
    assert single.rows[1].by_type == {"postgraduate": 1, "faculty": 1}
    assert [row.total for row in multiple.rows] == [2, 3, 0, 1]
    assert [row.total for row in scale.rows] == [0, 1, 1, 1, 1] and scale.average == 3.5
    # points: of k ranked the first gets k; "Around the clock" (2): 1 + 2 + 3 = 6
    assert [row.total for row in ranking.rows] == [3 + 2, 2 + 1 + 1 + 1, 1 + 2 + 3]
    assert text.respondents.total == 2

    login(staff)
    page = client.get(_url(questionnaire, "/results")).text
    assert "4 people answered." in page and '<svg class="chart"' in page
    assert "<th scope=\"col\">Postgraduate</th>" in page and "average 3.5" in page
    table = client.get(_url(questionnaire, "/results.csv"))
    assert table.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(table.data.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["Question", "Answer", "Total"] and "Faculty" in header
    types = slice(3, 3 + len(found.patron_types))
    for row in rows[1:]:
        if row[2] and row[1] != "Average":
            assert sum(int(v) for v in row[types]) == int(row[2]), row


def test_anonymous_answers_never_reveal_their_author(client, login, make_user, staff,
                                                     make_questionnaire, clock):
    questionnaire = make_questionnaire()
    secret, open_li, *_others = _answered_by_three_types(client, login, make_user,
                                                         questionnaire)
    clock(RESULTS)
    login(staff)
    client.post(_url(questionnaire, "/results/public"), data={"public": "1"})
    staff_page = client.get(_url(questionnaire, "/results")).text
    table = client.get(_url(questionnaire, "/results.csv")).data.decode("utf-8-sig")
    client.post("/auth/logout")
    public_page = client.get(_url(questionnaire, "/results")).text
    call_page = client.get(f"/calls/{questionnaire.call_id}").text
    api = client.get(f"/api/v1/calls/{questionnaire.call_id}")
    assert api.status_code == 200
    for shown in (staff_page, table, public_page, call_page, api.text):
        assert "Secret Sun" not in shown and "secret.sun" not in shown
        assert "Second Undergrad" not in shown
    # the anonymous answer itself is shown, without its author; an open one with its author
    assert "anonymous" in staff_page and "HYPERLINK" in staff_page
    assert "Open Li" in staff_page and "Open Li" in public_page and "Open Li" in table
    texts = api.json["questionnaire"]["results"]["questions"][4]["texts"]
    assert {"text": "Open words", "by": "Open Li"} in texts
    assert {"text": '=HYPERLINK("http://evil.example")', "by": None} in texts
    assert "patron_id" not in api.text and str(secret.id) not in [
        str(t.get("by")) for t in texts]
    # the CSV keeps the formula as text
    assert "'=HYPERLINK" in table and ",Anonymous" in table


def test_results_are_for_staff_until_made_public_after_the_call_closed(
        client, login, make_user, staff, make_questionnaire, clock):
    questionnaire = make_questionnaire()
    patron = make_user()
    login(patron)
    client.post(_url(questionnaire), data=_answers(questionnaire))
    assert client.get(_url(questionnaire, "/results")).status_code == 404
    assert client.get(_url(questionnaire, "/results.csv")).status_code == 403
    assert client.post(_url(questionnaire, "/results/public"),
                       data={"public": "1"}).status_code == 403
    login(staff)
    assert client.get(_url(questionnaire, "/results")).status_code == 200
    response = client.post(_url(questionnaire, "/results/public"), data={"public": "1"},
                           follow_redirects=True)
    assert "once the call has closed" in response.text
    assert db.session.get(Questionnaire, questionnaire.id).results_public is False
    clock(REVIEWING)
    client.post(_url(questionnaire, "/results/public"), data={"public": "1"})
    db.session.expire_all()
    assert db.session.get(Questionnaire, questionnaire.id).results_public is True
    client.post("/auth/logout")
    assert client.get(_url(questionnaire, "/results")).status_code == 200
    assert "See the results" in client.get(f"/calls/{questionnaire.call_id}").text
    assert client.get(_url(questionnaire, "/results.csv")).status_code == 302  # sign in


def test_the_api_gives_the_questions_and_results_only_once_public(client, login, make_user,
                                                                  staff, make_questionnaire,
                                                                  clock):
    questionnaire = make_questionnaire()
    login(make_user())
    client.post(_url(questionnaire), data=_answers(questionnaire))
    client.post("/auth/logout")
    body = client.get(f"/api/v1/calls/{questionnaire.call_id}").json["questionnaire"]
    assert [q["kind"] for q in body["questions"]] == ["single", "multiple", "scale", "ranking",
                                                      "text"]
    assert body["questions"][0]["text_zh"] == "你最常在哪层学习？"
    assert body["questions"][0]["options_en"] == ["Floor 2", "Floor 3", "Floor 4"]
    assert body["questions"][1]["max_choices"] == 2
    assert body["results"] is None
    clock(RESULTS)
    login(staff)
    client.post(_url(questionnaire, "/results/public"), data={"public": "1"})
    client.post("/auth/logout")
    results = client.get(f"/api/v1/calls/{questionnaire.call_id}").json["questionnaire"][
        "results"]
    assert results["respondents"] == 1
    assert results["questions"][0]["options"] == [
        {"label": "Floor 2", "count": 0}, {"label": "Floor 3", "count": 1},
        {"label": "Floor 4", "count": 0}]


def test_a_call_without_a_questionnaire_says_so_in_the_api(client, make_call):
    call = make_call()
    assert client.get(f"/api/v1/calls/{call.id}").json["questionnaire"] is None
    assert client.get(f"/calls/{call.id}/questionnaire").status_code == 404


def test_the_call_with_its_questionnaire_matches_the_documented_schema(
        client, login, make_user, staff, make_questionnaire, clock):
    from tests.api.test_openapi import validator

    questionnaire = make_questionnaire()
    _answered_by_three_types(client, login, make_user, questionnaire)
    clock(RESULTS)
    login(staff)
    client.post(_url(questionnaire, "/results/public"), data={"public": "1"})
    client.post("/auth/logout")
    document = client.get("/api/v1/openapi.json").json
    body = client.get(f"/api/v1/calls/{questionnaire.call_id}").json
    assert body["questionnaire"]["results"] is not None
    errors = [e.message for e in validator(document, "Call").iter_errors(body)]
    assert not errors


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 303)])
def test_only_staff_remove_a_question_before_anyone_answered(client, login, make_user,
                                                             make_questionnaire, role,
                                                             expected):
    questionnaire = make_questionnaire()
    login(make_user(role=role))
    first = questionnaire.questions[0]
    response = client.post(_url(questionnaire, f"/questions/{first.id}/delete"))
    assert response.status_code == expected
    db.session.expire_all()
    left = db.session.get(Questionnaire, questionnaire.id).questions
    assert len(left) == (4 if expected == 303 else 5)
    if expected == 303:
        page = client.get(_url(questionnaire, "/edit")).text
        assert "Which floor do you study on most?" not in page and "Add the question" in page
