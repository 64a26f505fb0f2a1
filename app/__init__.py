"""Commons: the library co-design platform."""
import os

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user

from app import config as settings
from app.extensions import babel, csrf, db, login_manager, migrate


def create_app(overrides: dict | None = None) -> Flask:
    overrides = overrides or {}
    mode = overrides.get("ENV_NAME") or os.environ.get("COMMONS_ENV", "development")
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_object(settings.CONFIGS[mode])
    app.config["ENV_NAME"] = mode
    app.config.update(overrides)
    settings.check(app.config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from app import htmx
    from app.auth.models import User

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_pick_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    htmx.init_app(app)

    @login_manager.user_loader
    def load_user(user_id: str):
        ident, _, nonce = user_id.partition(":")
        if not ident.isdigit():
            return None
        user = db.session.get(User, int(ident))
        return user if user is not None and user.session_nonce == nonce else None


def _pick_locale() -> str:
    return "en"  # the interface languages arrive with the i18n issue


def register_blueprints(app: Flask) -> None:
    from app.auth import bp as auth_bp
    from app.main import bp as main_bp
    from app.proposals import bp as proposals_bp

    for blueprint in (main_bp, auth_bp, proposals_bp):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register_errorhandlers as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from app.markdown import render

    app.jinja_env.filters["markdown"] = render
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def viewer():
        return {"viewer": current_user, "get_locale": get_locale}


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)
