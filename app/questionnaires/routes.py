from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import csvstream
from app.auth.decorators import permitted
from app.domain import Refused
from app.extensions import db
from app.forms import committing, render_form
from app.insight import charts
from app.proposals.calls import Call, clock
from app.questionnaires import policies, queries, services
from app.questionnaires.forms import (
    AnswerForm,
    QuestionForm,
    SwitchForm,
    read_answers,
    sent_back,
    stored_as_shown,
)
from app.questionnaires.models import Kind, Question, Questionnaire

bp = Blueprint("questionnaires", __name__, url_prefix="/calls/<int:call_id>/questionnaire")


@bp.app_template_global("questionnaire_of")
def questionnaire_of(call: Call) -> Questionnaire | None:
    """For the call's page: its questionnaire, if it has one with questions."""
    found = services.of_call(call)
    return found if found is not None and found.questions else None


def _questionnaire(call_id: int) -> Questionnaire:
    call = db.get_or_404(Call, call_id)
    found = services.of_call(call)
    if found is None or not found.questions:
        abort(404)
    return found


@bp.route("", methods=["GET", "POST"])
def answer(call_id: int):
    questionnaire = _questionnaire(call_id)
    now = clock()
    form = AnswerForm()
    earlier = queries.response_of(questionnaire, current_user)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not policies.can_answer(current_user, questionnaire):
            return redirect(url_for("auth.login", next=request.path))
        shown = sent_back(questionnaire, request.form)
        if form.validate_on_submit():
            answers, errors = read_answers(questionnaire, request.form)
            if not errors:
                try:
                    services.answer(questionnaire, current_user, answers,
                                    anonymous=form.anonymous.data, now=now)
                    db.session.commit()
                except Refused as refusal:
                    db.session.rollback()
                    errors[refusal.field or "form"] = str(refusal)
                else:
                    flash(_("Thank you: your answers are saved. You can change them while the "
                            "call is open."), "success")
                    return redirect(url_for("questionnaires.answer", call_id=call_id), code=303)
        else:
            errors["form"] = _("The form had expired: please send it again.")
    else:
        shown = stored_as_shown(questionnaire, earlier.answers) if earlier else {}
        if earlier:
            form.anonymous.data = earlier.anonymous
    status = 422 if request.method == "POST" else 200
    return render_template("questionnaires/answer.html", questionnaire=questionnaire,
                           call=questionnaire.call, form=form, shown=shown, errors=errors,
                           earlier=earlier, now=now, Kind=Kind), status


@bp.route("/edit", methods=["GET", "POST"])
@permitted(policies.can_manage)
def edit(call_id: int):
    """Staff build the questionnaire here, a question at a time (the form adds one)."""
    call = db.get_or_404(Call, call_id)
    form = QuestionForm()
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.add_question(call, by=current_user, **{
                name: form[name].data for name in ("kind", "text_en", "text_zh", "options_en",
                                                   "options_zh", "max_choices")})
        if attempt.committed:
            flash(_("The question is added."), "success")
            return redirect(url_for("questionnaires.edit", call_id=call_id), code=303)
    questionnaire = services.of_call(call)
    answered = questionnaire is not None and services.has_answers(questionnaire)
    return render_form("questionnaires/edit.html", form, call=call,
                       questionnaire=questionnaire, answered=answered, now=clock())


@bp.post("/questions/<int:question_id>/delete")
@permitted(policies.can_manage)
def remove(call_id: int, question_id: int):
    question = db.get_or_404(Question, question_id)
    if question.questionnaire.call_id != call_id:
        abort(404)
    if SwitchForm().validate_on_submit():
        with committing() as attempt:
            services.remove_question(question, by=current_user)
        if attempt.committed:
            flash(_("The question is removed."), "success")
    return redirect(url_for("questionnaires.edit", call_id=call_id), code=303)


@bp.post("/results/public")
@permitted(policies.can_manage)
def publish(call_id: int):
    questionnaire = _questionnaire(call_id)
    if SwitchForm().validate_on_submit():
        public = request.form.get("public") == "1"
        with committing() as attempt:
            services.make_results_public(questionnaire, by=current_user, public=public)
        if attempt.committed:
            flash(_("The results are public.") if public
                  else _("The results are seen by staff only."), "success")
    return redirect(url_for("questionnaires.results", call_id=call_id), code=303)


@bp.get("/results")
def results(call_id: int):
    questionnaire = _questionnaire(call_id)
    now = clock()
    if not policies.can_see_results(current_user, questionnaire, now):
        abort(404)
    staff = policies.can_manage(current_user)
    found = queries.results(questionnaire)
    figures = [(result, _chart(result, f"question-{result.question.id}"))
               for result in found.questions]
    return render_template("questionnaires/results.html", questionnaire=questionnaire,
                           call=questionnaire.call, results=found, figures=figures, staff=staff,
                           now=now, Kind=Kind)


@bp.get("/results.csv")
@permitted(policies.can_manage)
def results_csv(call_id: int):
    questionnaire = _questionnaire(call_id)
    found = queries.results(questionnaire)
    types = found.patron_types
    header = [_("Question"), _("Answer"), _("Total"), *(kind.label for kind in types),
              _("Written by")]
    rows = []
    for result in found.questions:
        question = result.question.text
        rows.append([question, _("Answered this question"), result.respondents.total,
                     *(result.respondents.by_type.get(kind.value, 0) for kind in types), ""])
        for row in result.rows:
            label = f"{row.label} ({result.unit})" if result.unit else row.label
            rows.append([question, label, row.total,
                         *(row.by_type.get(kind.value, 0) for kind in types), ""])
        if result.average is not None:
            rows.append([question, _("Average"), round(result.average, 2),
                         *("" for _kind in types), ""])
        for text, name in result.texts:
            rows.append([question, text, "", *("" for _kind in types), name or _("Anonymous")])
    body = b"".join(csvstream.stream(header, rows))  # formula cells escaped
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="commons-call-{call_id}-questionnaire.csv"'})


def _chart(result: queries.QuestionResult, title_id: str):
    if not result.rows:
        return None
    return charts.bars([(row.label, row.total) for row in result.rows], title_id=title_id,
                       unit=f" {result.unit}" if result.unit else "")
