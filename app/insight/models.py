"""The dashboard's figures as last worked out, shared by every worker (app/insight/snapshots.py)."""
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class FigureSnapshot(db.Model):
    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # period, branch, language
    computed_at: Mapped[datetime]  # naive UTC: when the figures' data was read
    body: Mapped[str] = mapped_column(Text)  # the report as JSON
