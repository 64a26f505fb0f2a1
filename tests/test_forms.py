"""One way to commit a form (app/forms.py `committing`): commit once, or roll back and show the
refusal beside the field it names, at the top of the form, or (with no form) as a flash."""
import re

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, StringField

from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.forms import committing
from tests.conftest import count


class Address(FlaskForm):
    class Meta:
        csrf = False

    street = StringField()


class PlaceForm(FlaskForm):
    class Meta:
        csrf = False

    title = StringField()
    lead_id = StringField()
    rows = FieldList(StringField(), min_entries=1)
    address = FormField(Address)


@pytest.fixture
def form(app):
    with app.test_request_context(method="POST", data={"title": "A title"}):
        form = PlaceForm()
        form.validate()
        yield form


def refuse(field=None):
    raise Refused("No, because of a rule.", field=field)


def test_a_refusal_naming_a_field_is_shown_on_that_field(form):
    with committing(form) as attempt:
        refuse("title")
    assert not attempt.committed and attempt.refusal.field == "title"
    assert form.title.errors == ["No, because of a rule."] and form.form_errors == []


def test_a_refusal_naming_a_row_is_shown_on_the_choice_of_that_row(form):
    with committing(form):
        refuse("lead")  # the form chooses the lead by id
    assert form.lead_id.errors == ["No, because of a rule."]


@pytest.mark.parametrize("field", [None, "", "nope", "data", "validate", "meta", "address",
                                   "__class__"])
def test_a_refusal_about_no_field_of_this_form_is_shown_at_the_top(form, field):
    with committing(form):
        refuse(field)
    assert form.form_errors == ["No, because of a rule."]
    assert list(form.errors.values()) == [["No, because of a rule."]]  # what render_form sees
    assert not form.title.errors and not form.address.errors


def test_a_list_field_takes_the_refusal_beside_its_entries(form):
    with committing(form):
        refuse("rows")
    assert "No, because of a rule." in form.rows.errors and form.form_errors == []


def test_a_form_not_yet_validated_takes_the_refusal_too(app):
    with app.test_request_context(method="POST"):
        form = PlaceForm()
        with committing(form):
            refuse("title")
        assert form.title.errors == ["No, because of a rule."]


def test_a_refusal_rolls_back_everything_the_block_wrote(app, form):
    users = count(User)
    with committing(form) as attempt:
        db.session.add(User(email="half@example.edu", display_name="Half", password_hash="x"))
        db.session.flush()
        refuse("title")
    assert not attempt.committed
    assert count(User) == users
    assert db.session.query(User).filter_by(email="half@example.edu").first() is None


def test_a_write_that_is_not_refused_is_committed_once(app, form, monkeypatch):
    commits = []
    real_commit = db.session.commit
    monkeypatch.setattr(db.session, "commit", lambda: commits.append(1) or real_commit())
    with committing(form) as attempt:
        db.session.add(User(email="whole@example.edu", display_name="Whole", password_hash="x"))
    assert attempt.committed and attempt.refusal is None and commits == [1]
    db.session.rollback()  # nothing left to undo: it is in the database
    assert db.session.query(User).filter_by(email="whole@example.edu").one()
    assert form.errors == {}


def test_without_a_form_the_refusal_is_flashed(app):
    with app.test_request_context(method="POST"):
        with committing() as attempt:
            refuse("title")
        assert not attempt.committed
        assert get_flashed_messages(with_categories=True) == [("error", "No, because of a rule.")]


def test_other_errors_are_not_taken_for_refusals(form):
    with pytest.raises(ZeroDivisionError), committing(form):
        raise ZeroDivisionError


@pytest.fixture
def staff(make_user):
    return make_user(role="staff")


def test_a_refusal_about_the_whole_form_is_shown_above_it_with_422(client, login, make_outcome):
    outcome = make_outcome()  # the project is complete: completing it again is refused
    login(outcome.project.lead)
    response = client.post(f"/projects/{outcome.project_id}/complete", data={
        "summary": "The east room now opens on Sundays.", "indicators-0-name": "Quiet seats",
        "indicators-0-before": "180", "indicators-0-after": "300"})
    assert response.status_code == 422
    alert = re.search(r'<div class="form-alert" role="alert"[^>]*>(.*?)</div>\s*<form',
                      response.text, re.S)
    assert alert and "This project is completed." in alert.group(1)
    assert "Please correct the marked fields." not in alert.group(1)  # no field is marked
