"""A snapshot taken while patrons write is consistent, restores whole, and the site keeps
answering meanwhile."""
import threading
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import backup
from app.extensions import db
from app.proposals import services
from app.proposals.models import Proposal

WRITES = 150


@pytest.fixture
def restore_url(database_url, tmp_path):
    """An empty database to restore into, on the same kind of server."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"commons_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def rows(url: str) -> dict[str, set[tuple]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = [t for t in inspect(connection).get_table_names()
                      if not t.startswith("proposal_fts")]
            return {t: {tuple(r) for r in connection.execute(text(f'SELECT * FROM "{t}"'))}
                    for t in tables}
    finally:
        engine.dispose()


def test_snapshot_during_writes_restores_consistently(app, client, make_user, make_proposal,
                                                      database_url, restore_url, tmp_path):
    proposal, writer = make_proposal(title="Busy proposal"), make_user()
    proposal_id, writer_id = proposal.id, writer.id
    db.session.commit()
    db.session.rollback()
    done, answers = threading.Event(), []

    def write():
        with app.app_context():
            for n in range(WRITES):
                services.add_comment(db.session.get(Proposal, proposal_id),
                                     author=db.session.get(type(writer), writer_id),
                                     body=f"write {n}")
                db.session.commit()
            db.session.remove()
        done.set()

    def read():
        with app.app_context():
            while not done.is_set():
                answers.append(app.test_client().get("/proposals").status_code)
            db.session.remove()

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    snapshot = backup.create(database_url, tmp_path / "snapshot.bin")
    for thread in threads:
        thread.join(timeout=120)

    assert answers and set(answers) == {200}  # the site kept answering
    backup.restore(restore_url, snapshot)
    restored, origin = rows(restore_url), rows(database_url)
    assert set(restored) == set(origin)
    for table, restored_rows in restored.items():
        if table not in {"proposal", "content_revision", "participant_count"}:  # counters moved on
            assert restored_rows <= origin[table], table
    engine = create_engine(restore_url)
    with engine.connect() as connection:
        bodies = connection.execute(text("SELECT body FROM comment")).scalars().all()
        stored = connection.execute(text("SELECT comment_count FROM proposal WHERE id = :id"),
                                    {"id": proposal_id}).scalar()
    engine.dispose()
    assert sorted(bodies, key=lambda b: int(b.split()[1])) == [f"write {n}" for n in range(len(bodies))]
    assert stored == len(bodies)  # each write and its counter landed together, or neither


def test_missing_snapshot_is_a_clear_error(database_url, tmp_path):
    with pytest.raises(backup.BackupError, match="No snapshot"):
        backup.restore(database_url, tmp_path / "nothing.bin")


def test_cli_backup_create_reports_where(app, tmp_path):
    target = tmp_path / "cli.bin"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0 and "Backup written to" in result.output
