"""The bilingual library glossary (seat / 座位, study room / 自习室): data that administrators
extend, read by the similar-proposals hint (app/proposals/search.py) to find the same idea
written in the other language."""
import re

from flask_babel import gettext as _
from sqlalchemy import select

from app import events
from app.auth.policies import is_admin
from app.domain import Refused
from app.extensions import db
from app.proposals.models import GlossaryTerm
from app.proposals.search import CHINESE

ENGLISH = re.compile(r"[a-z][a-z -]{1,38}[a-z]")
CHINESE_TERM = re.compile(f"[{CHINESE}]{{2,12}}")


def pairs() -> list[tuple[str, str]]:
    """Every pair, the longest first: "study room" is read before a shorter term inside it."""
    rows = db.session.execute(select(GlossaryTerm.english, GlossaryTerm.chinese)).all()
    return sorted(((english, chinese) for english, chinese in rows),
                  key=lambda pair: (-len(pair[0]) - len(pair[1]), pair))


def listing() -> list[GlossaryTerm]:
    return list(db.session.scalars(select(GlossaryTerm).order_by(GlossaryTerm.english,
                                                                 GlossaryTerm.id)))


def add(english: str, chinese: str, *, by) -> GlossaryTerm:
    if not is_admin(by):
        raise Refused(_("Only administrators can do that."))
    english = " ".join((english or "").lower().split())
    chinese = "".join((chinese or "").split())
    if not ENGLISH.fullmatch(english):
        raise Refused(_("Use 3 to 40 English letters, spaces or hyphens."), field="english")
    if not CHINESE_TERM.fullmatch(chinese):
        raise Refused(_("Use 2 to 12 Chinese characters."), field="chinese")
    if db.session.scalar(select(GlossaryTerm.id).where(GlossaryTerm.english == english,
                                                       GlossaryTerm.chinese == chinese)):
        raise Refused(_("The glossary already has this pair."), field="english")
    term = GlossaryTerm(english=english, chinese=chinese)
    db.session.add(term)
    db.session.flush()
    events.glossary_changed.send(term, by=by, added=True)
    return term


def remove(term: GlossaryTerm, *, by) -> None:
    if not is_admin(by):
        raise Refused(_("Only administrators can do that."))
    db.session.delete(term)
    db.session.flush()
    events.glossary_changed.send(term, by=by, added=False)
