from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from app import settings
from app.admin import audit_phrases, policies, services
from app.admin.forms import (
    GlossaryForm,
    PlaceForm,
    PopulationForm,
    RoleForm,
    SettingsForm,
    SuspendForm,
)
from app.audit import AuditEntry
from app.auth.decorators import permitted
from app.auth.models import PatronType, User
from app.extensions import db
from app.forms import committing, render_form
from app.insight.metrics import population_of
from app.proposals import glossary
from app.proposals.models import Branch, Category, GlossaryTerm
from app.sso import services as sso
from app.terms import Term
from app.timeutil import utcnow

bp = Blueprint("admin", __name__, url_prefix="/admin")
PLACES = {"category": Category, "branch": Branch}
PER_PAGE = 50


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:  # "²".isdigit() too
        return 1
    return min(int(raw), 10_000) if int(raw) > 0 else 1


@bp.get("/users")
@permitted(policies.can_manage_accounts)
def users():
    raw = (request.args.get("q") or "")[:200]
    query = "".join(ch for ch in raw if ch.isprintable()).strip()[:100]  # PostgreSQL: no NUL
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(or_(User.email.like(pattern),
                                        User.display_name.ilike(pattern)))
    page = _page_number()
    rows = db.session.scalars(statement.limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)).all()
    return render_template("admin/users.html", users=rows[:PER_PAGE], has_next=len(rows) > PER_PAGE,
                           page=page, query=query, role_form=RoleForm(),
                           signs_in=sso.sign_in_ways(rows[:PER_PAGE]),
                           suspend_form=SuspendForm(), now=utcnow())


def _user_action(user_id: int, change, done: str):
    user = db.get_or_404(User, user_id)
    with committing() as attempt:
        change(user)
    if attempt.committed:
        flash(done, "success")
    return redirect(url_for("admin.users", q=user.email), code=303)


@bp.post("/users/<int:user_id>/role")
@permitted(policies.can_change_role)
def change_role(user_id: int):
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    return _user_action(user_id, lambda user: services.change_role(
        user, role=form.role.data, by=current_user), _("The role is changed."))


@bp.post("/users/<int:user_id>/suspend")
@permitted(policies.can_suspend)
def suspend(user_id: int):
    form = SuspendForm()
    if not form.validate_on_submit():
        flash(_("Give a date and a reason for the suspension."), "error")
        return redirect(url_for("admin.users"), code=303)
    until = datetime.combine(form.until.data, time(23, 59))
    return _user_action(user_id, lambda user: services.suspend(
        user, until=until, reason=form.reason.data, by=current_user, now=utcnow()),
        _("The account is suspended."))


@bp.post("/users/<int:user_id>/lift")
@permitted(policies.can_lift_suspension)
def lift(user_id: int):
    return _user_action(user_id, lambda user: services.lift_suspension(user, by=current_user),
                        _("The suspension is lifted."))


@bp.route("/settings", methods=["GET", "POST"])
@permitted(policies.can_configure)
def edit_settings():
    form = SettingsForm(data={key: settings.get(key) for key in services.SETTING_LIMITS})
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.save_settings({key: getattr(form, key).data
                                    for key in services.SETTING_LIMITS},
                                   by=current_user)
        if attempt.committed:
            flash(_("Settings saved."), "success")
            return redirect(url_for("admin.edit_settings"), code=303)
    return render_form("admin/settings.html", form)


@bp.route("/population", methods=["GET", "POST"])
@permitted(policies.can_configure)
def population():
    """The population of each patron type per term, that the dashboard compares with."""
    term = Term.from_code(request.values.get("term", "")) or Term.current()
    form = PopulationForm(data={"term": term.code, **population_of(term.code)})
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.save_population(term, {kind.value: form[kind.value].data
                                            for kind in PatronType}, by=current_user)
        if attempt.committed:
            flash(_("Population saved for %(term)s.", term=term.label), "success")
            return redirect(url_for("admin.population", term=term.code), code=303)
    terms = [Term.current()]
    for _step in range(5):
        terms.append(terms[-1].before())
    return render_form("admin/population.html", form, term=term, terms=terms,
                       kinds=list(PatronType))


@bp.route("/places", methods=["GET", "POST"])
@permitted(policies.can_configure)
def places():
    form = PlaceForm()
    kind = request.form.get("kind", "category")
    model = PLACES.get(kind) or abort(400)
    if form.validate_on_submit():
        raw_id = request.form.get("id", "")
        existing = db.session.get(model, int(raw_id)) \
            if raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 10 else None
        with committing(form) as attempt:
            services.save_place(model, slug=form.slug.data, name_en=form.name_en.data,
                                name_zh=form.name_zh.data, by=current_user, existing=existing)
        if attempt.committed:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.places"), code=303)
    listing = {name: db.session.scalars(select(m).order_by(m.position, m.id)).all()
               for name, m in PLACES.items()}
    return render_form("admin/places.html", form, places=listing, kind=kind)


@bp.route("/glossary", methods=["GET", "POST"])
@permitted(policies.can_configure)
def glossary_terms():
    """The library terms in both languages that find a proposal in the other language."""
    form = GlossaryForm()
    if form.validate_on_submit():
        with committing(form) as attempt:
            term = glossary.add(form.english.data, form.chinese.data, by=current_user)
        if attempt.committed:
            flash(_("Added “%(english)s = %(chinese)s”.", english=term.english,
                    chinese=term.chinese), "success")
            return redirect(url_for("admin.glossary_terms"), code=303)
    return render_form("admin/glossary.html", form, terms=glossary.listing())


@bp.post("/glossary/<int:term_id>/remove")
@permitted(policies.can_configure)
def remove_glossary_term(term_id: int):
    term = db.get_or_404(GlossaryTerm, term_id)
    with committing() as attempt:
        glossary.remove(term, by=current_user)
    if attempt.committed:
        flash(_("Removed “%(english)s = %(chinese)s”.", english=term.english,
                chinese=term.chinese), "success")
    return redirect(url_for("admin.glossary_terms"), code=303)


@bp.get("/audit")
@permitted(policies.can_configure)
def audit_log():
    page = _page_number()
    rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())
                              .limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)).all()
    return render_template("admin/audit.html", entries=rows[:PER_PAGE],
                           has_next=len(rows) > PER_PAGE, page=page, phrases=audit_phrases)
