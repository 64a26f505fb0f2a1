"""The job worker: `huey_consumer worker.huey` (make worker). Jobs are defined in app/jobs.py
and run in an app context of the app built here."""
from app import create_app
from app.jobs import huey, init_app

init_app(create_app())

__all__ = ["huey"]
