"""Commons: the library co-design platform."""
import os

from flask import Flask, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app import config
from app.extensions import babel, csrf, db, login_manager, mailer, migrate
from app.i18n import pick_locale
from app.timeutil import library_today, zone_name


def create_app(overrides: dict | None = None) -> Flask:
    overrides = overrides or {}
    mode = overrides.get("ENV_NAME") or os.environ.get("COMMONS_ENV", "development")
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_object(config.CONFIGS[mode])
    app.config["ENV_NAME"] = mode
    app.config.update(overrides)
    config.check(app.config)
    register_extensions(app)
    register_subscribers()
    register_jobs()
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_bench_instruments(app)
    return app


def register_extensions(app: Flask) -> None:
    from app import assets, audit, database, htmx, limits, pagecache, security, serving, settings  # noqa: F401 - models the migrations know
    from app.auth.models import User
    from app.consultations import models as _consultations  # noqa: F401
    from app.insight import models as _insight  # noqa: F401
    from app.mail import models as _mail  # noqa: F401
    from app.media import models as _media  # noqa: F401
    from app.moderation import models as _moderation  # noqa: F401
    from app.notifications import models as _notifications  # noqa: F401
    from app.projects import models as _projects  # noqa: F401
    from app.proposals import calls as _calls  # noqa: F401
    from app.questionnaires import models as _questionnaires  # noqa: F401
    from app.sso import models as _sso  # noqa: F401
    from app.workshops import models as _workshops  # noqa: F401

    db.init_app(app)
    database.init_app(app)  # the engine's events, before anything connects
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    mailer.init_app(app)
    babel.init_app(app, locale_selector=pick_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    htmx.init_app(app)
    pagecache.init_app(app)
    security.init_app(app)  # before the blueprints: it bounds the ids in URLs
    serving.init_app(app)
    limits.init_app(app)
    assets.init_app(app)  # fingerprinted static names when a manifest is built

    @login_manager.unauthorized_handler
    def sign_in_first():
        flash(_("Please sign in first."), "info")
        return redirect(url_for("auth.login", next=_return_path()))

    @login_manager.user_loader
    def load_user(user_id: str):
        ident, _, nonce = user_id.partition(":")
        if not ident.isdigit():
            return None
        user = db.session.get(User, int(ident))
        return user if user is not None and user.session_nonce == nonce else None


def register_subscribers() -> None:
    """What follows the domain's events (app/events.py): importing a module subscribes it."""
    from app import audit  # noqa: F401
    from app.insight import subscribers as _insight  # noqa: F401
    from app.moderation import merges as _merges  # noqa: F401
    from app.notifications import subscribers as _notifications  # noqa: F401
    from app.notifications import workshops as _workshop_mail  # noqa: F401


def register_jobs() -> None:
    """Each feature's background tasks, on the queue of app/jobs.py: importing registers them."""
    from app.auth import tasks as _auth  # noqa: F401
    from app.insight import tasks as _insight  # noqa: F401
    from app.mail import tasks as _mail  # noqa: F401
    from app.media import tasks as _media  # noqa: F401
    from app.notifications import tasks as _notifications  # noqa: F401


def _return_path() -> str:
    """Where to go after signing in: this page, or for a refused POST the page it came from."""
    from app.auth.safety import page_came_from

    if request.method == "GET":
        return request.full_path.rstrip("?")
    return page_came_from() or url_for("proposals.index")


def register_blueprints(app: Flask) -> None:
    from app.account.routes import bp as account_bp
    from app.admin.routes import bp as admin_bp
    from app.api.routes import bp as api_bp
    from app.auth.recovery import bp as recovery_bp
    from app.auth.routes import bp as auth_bp
    from app.calls.routes import bp as calls_bp
    from app.consultations.routes import bp as consultations_bp
    from app.exports.routes import bp as exports_bp
    from app.feeds import bp as feeds_bp
    from app.i18n.routes import bp as i18n_bp
    from app.insight.routes import bp as insight_bp
    from app.main.routes import bp as main_bp
    from app.media.routes import bp as media_bp
    from app.moderation.routes import bp as moderation_bp
    from app.notifications.routes import bp as notifications_bp
    from app.outcomes.routes import bp as outcomes_bp
    from app.projects.routes import bp as projects_bp
    from app.proposals.routes import bp as proposals_bp
    from app.questionnaires.routes import bp as questionnaires_bp
    from app.sso.routes import bp as sso_bp
    from app.workshops.routes import bp as workshops_bp

    for blueprint in (main_bp, auth_bp, i18n_bp, proposals_bp, moderation_bp, notifications_bp,
                      projects_bp, outcomes_bp, insight_bp, api_bp, feeds_bp, exports_bp,
                      admin_bp, account_bp, recovery_bp, calls_bp, workshops_bp, sso_bp,
                      media_bp, consultations_bp, questionnaires_bp):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register_errorhandlers as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app import i18n, page_meta, policies, settings
    from app.admin.forms import ROLE_LABELS
    from app.auth.models import Role
    from app.markdown import render
    from app.moderation import merges
    from app.moderation import services as moderation
    from app.moderation.models import Reason
    from app.notifications.services import describe, is_following, link, link_text, unread_count
    from app.proposals import lifecycle, queries
    from app.proposals.calls import Phase
    from app.proposals.models import Status
    from app.sso import offer

    app.jinja_env.add_extension("jinja2.ext.do")
    i18n.install_template_gettext(app.jinja_env)
    app.jinja_env.filters["markdown"] = render
    app.jinja_env.filters["ago"] = i18n.relative_time
    app.jinja_env.filters["day"] = i18n.day
    app.jinja_env.filters["moment"] = i18n.moment
    app.jinja_env.filters["machine_time"] = i18n.machine_time
    app.jinja_env.globals.update(
        describe=describe, notification_link=link, notification_link_text=link_text,
        time_span=i18n.time_span, text_span=i18n.text_span,
        now_date=library_today,
        library_zone_name=zone_name,
        place_choices=queries.place_choices,
        library_setting=settings.get,
        page_description=page_meta.page_description,
        language_alternates=page_meta.language_alternates,
        campus_sign_in=offer.buttons,
        local_accounts=offer.local_accounts,
        undoable_merge=merges.undoable,
        undo_window=merges.UNDO_WINDOW,
    )

    @app.context_processor
    def helpers():
        return {
            "viewer": current_user, "get_locale": get_locale,
            "languages": i18n.LANGUAGES, "way_back": i18n.way_back,
            "may": lambda rule, obj=None: policies.may(current_user, rule, obj),
            "available_actions": lambda proposal: lifecycle.available(current_user, proposal),
            "rules": lifecycle.RULES,
            "status_label": lambda value: Status(value).label,
            "phase_label": lambda value: Phase(value).label,
            "reason_label": lambda value: Reason(value).label,
            "role_label": lambda value: ROLE_LABELS[Role(value)],
            "flag_reasons": lambda: [(reason.value, reason.label) for reason in Reason],
            "hidden_for_flags": lambda subject: moderation.open_flag_count(subject) > 0,
            "unread_notifications": lambda: unread_count(current_user),
            "is_following": lambda proposal: is_following(current_user, proposal),
        }


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)


def register_bench_instruments(app: Flask) -> None:
    """Only for the benchmark server (bench/run.py): a baseline page and SQL statement counts."""
    if app.config.get("BENCH_BASELINE") or app.config.get("SQL_COUNT_HEADER"):
        from app import bench_baseline

        bench_baseline.init_app(app)
