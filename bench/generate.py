"""Fill a fresh, migrated Commons database with a realistic data set, fast and reproducibly.

    python -m bench.generate --size M --db sqlite      # bench/data/commons_m.sqlite3
    python -m bench.generate --size M --db postgres    # database commons_bench_m

The schema comes from the app's own migrations (create_app + flask_migrate.upgrade on a fresh
database); rows go in by executemany (SQLite) or COPY (PostgreSQL), never one ORM object at a
time. Everything random comes from one seed; dates are relative to --anchor (default: today,
00:00 UTC), so the same seed and anchor give the same database. Stored counters
(support_count, comment_count, trending_score, project members) are computed from the very rows
inserted and checked against them at the end.
"""
import argparse
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import checks, phrases
from bench.loader import CHUNK, PostgresLoader, Progress, SqliteLoader, required_defaults

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PG_BASE = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-password-2026"  # every generated account; hashed once
THRESHOLD = 20  # supports that move an open proposal under review (settings.response_threshold)


@dataclass(frozen=True)
class Size:
    proposals: int
    supports: int
    patrons: int

    @property
    def staff(self) -> int:
        return 10 + self.patrons // 2000

    @property
    def comments(self) -> int:
        return self.proposals * 3


SIZES = {
    "S": Size(1_000, 20_000, 2_000),
    "M": Size(10_000, 500_000, 20_000),
    "L": Size(100_000, 5_000_000, 200_000),
}


def database_url(backend: str, size: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{DATA / f'commons_{size.lower()}.sqlite3'}"
    return make_url(PG_BASE).set(database=f"commons_bench_{size.lower()}").render_as_string(
        hide_password=False)


def manifest_path(backend: str, size: str) -> Path:
    return DATA / f"commons_{size.lower()}_{backend}.json"


def fresh_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {parsed.database} WITH (FORCE)"))
        connection.execute(text(
            f"CREATE DATABASE {parsed.database} TEMPLATE template0 ENCODING 'UTF8' "
            "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"))
    admin.dispose()


# --- the data set -------------------------------------------------------------------------

PATRON_TYPES = [("undergraduate", 55), ("postgraduate", 25), ("faculty", 8), ("staff", 5),
                ("alumnus", 4), ("other", 3)]
# Statuses that never carry supports (not yet public, refused, or merged: supports moved).
NO_SUPPORT = [("submitted", 36), ("changes_requested", 14), ("rejected", 27), ("merged", 23)]
NO_SUPPORT_SHARE = 0.11
# With fewer supports than the threshold an open proposal stays open; with more, it went under
# review by itself, and most were decided since.
BELOW = [("open", 75), ("under_review", 8), ("declined", 9), ("withdrawn", 4), ("accepted", 2),
         ("in_progress", 1), ("completed", 1)]
ABOVE = [("under_review", 35), ("accepted", 15), ("in_progress", 12), ("completed", 18),
         ("declined", 15), ("withdrawn", 5)]
DECIDED = {"accepted", "in_progress", "completed", "declined"}
REVIEWED = {"under_review", "accepted", "in_progress", "completed"}
PUBLISHED = {"open", "under_review", "accepted", "in_progress", "completed", "declined",
             "merged", "withdrawn"}
EPOCH = datetime(2025, 1, 1)  # app.proposals.trending.EPOCH


def weight(moment: datetime) -> float:
    """app.proposals.trending.weight, operation for operation: the same bits."""
    days = (moment - EPOCH).total_seconds() / 86400
    return 2.0 ** (days / 7.0)


def pick(rng: random.Random, table):
    names, weights = zip(*table, strict=False)
    return rng.choices(names, weights)[0]


def allocate(rng: random.Random, weights: list[float], total: int, cap: int) -> list[int]:
    """Integers proportional to the weights, each at most `cap`, adding up to `total` exactly."""
    counts = [0.0] * len(weights)
    capped: set[int] = set()
    remaining = total
    while True:
        free = [i for i in range(len(weights)) if i not in capped]
        scale = remaining / sum(weights[i] for i in free)
        newly = [i for i in free if weights[i] * scale > cap]
        if not newly:
            break
        for i in newly:
            counts[i] = cap
            capped.add(i)
            remaining -= cap
    for i in free:
        counts[i] = weights[i] * scale
    whole = [int(c) for c in counts]
    short = total - sum(whole)
    order = sorted(free, key=lambda i: counts[i] - whole[i], reverse=True)
    for i in order[:short]:
        whole[i] += 1
    return whole


def between(rng: random.Random, start: datetime, end: datetime, skew: float = 1.0) -> datetime:
    """A whole second in [start, end]; skew > 1 crowds the values towards start."""
    if end <= start:
        return start
    span = int((end - start).total_seconds())
    return start + timedelta(seconds=int(span * rng.random() ** skew))


class DataSet:
    def __init__(self, size: Size, seed: int, anchor: datetime):
        self.size, self.rng, self.now = size, random.Random(seed), anchor
        self.staff_ids = list(range(1, size.staff + 1))
        self.patron_ids = range(size.staff + 1, size.staff + size.patrons + 1)

    # users
    def users(self, password_hash: str) -> list[dict]:
        rng, rows = self.rng, []
        for uid in range(1, self.size.staff + self.size.patrons + 1):
            staff = uid <= self.size.staff
            if rng.random() < 0.7:
                name = rng.choice(phrases.ZH_SURNAMES) + rng.choice(phrases.ZH_GIVEN)
            else:
                name = f"{rng.choice(phrases.EN_FIRST)} {rng.choice(phrases.EN_LAST)}"
            created = self.now - timedelta(seconds=rng.randrange(900 * 86400))
            rows.append({
                "id": uid, "email": f"{'staff' if staff else 'patron'}{uid}@bench.commons.example",
                "display_name": name,
                "patron_type": "staff" if staff else pick(rng, PATRON_TYPES),
                "role": ("admin" if uid == 1 else "staff") if staff else "patron",
                "password_hash": password_hash, "session_nonce": f"{rng.getrandbits(128):032x}",
                "locale": None, "created_at": created, "email_verified_at": created,
            })
        return rows

    # proposals: statuses and support counts first, then times, then ids in creation order
    def proposals(self, categories: list[int], branches: list[int]) -> list[dict]:
        rng, size = self.rng, self.size
        n = size.proposals
        silent = [i for i in range(n) if rng.random() < NO_SUPPORT_SHARE]
        silent_set = set(silent)
        supported = [i for i in range(n) if i not in silent_set]
        ranks = list(range(1, len(supported) + 1))
        rng.shuffle(ranks)
        weights = [rng.lognormvariate(0, 0.35) / rank for rank in ranks]
        counts = [0] * n
        for i, count in zip(supported, allocate(rng, weights, size.supports,
                                                int(size.patrons * 0.4)), strict=False):
            counts[i] = count
        rows = []
        for i in range(n):
            if i in silent_set:
                status = pick(rng, NO_SUPPORT)
            else:
                status = pick(rng, ABOVE if counts[i] >= THRESHOLD else BELOW)
            rows.append(self._proposal(status, counts[i], categories, branches))
        rows.sort(key=lambda row: row["created_at"])
        merge_targets = []
        for pid, row in enumerate(rows, start=1):
            row["id"] = pid
            if row["status"] == "merged":
                row["merged_into_id"] = rng.choice(merge_targets) if merge_targets else None
                if row["merged_into_id"] is None:
                    row["status"], row["decided_at"] = "rejected", None
                    row["published_at"] = None
            elif row["status"] in ("open", "under_review", "accepted", "in_progress"):
                merge_targets.append(pid)
        return rows

    def _proposal(self, status: str, supports: int, categories, branches) -> dict:
        rng, now = self.rng, self.now
        chinese = rng.random() < 0.55
        if status in ("submitted", "changes_requested"):
            created = now - timedelta(seconds=rng.randrange(10 * 86400))
        else:
            created = now - timedelta(seconds=int(730 * 86400 * rng.random() ** 1.6) + 3600)
        title, category, problem, suggestion = self._text(chinese, categories)
        author = rng.choice(self.patron_ids)
        origin, entered_by = "online", None
        roll = rng.random()
        if roll < 0.05:
            origin, entered_by = "desk", rng.choice(self.staff_ids)
        elif roll < 0.08:
            origin, author = "staff", rng.choice(self.staff_ids)
        reviewed = published = review = decided = due = answered = None
        if status != "submitted":
            reviewed = min(created + timedelta(seconds=rng.randrange(3600, 48 * 3600)), now)
        if status in PUBLISHED:
            published = reviewed
        if status in REVIEWED or (status == "declined" and supports >= THRESHOLD):
            review = between(rng, published, now - timedelta(days=1) if now - published
                             > timedelta(days=2) else now, 1.5)
            due = review + timedelta(days=14)
        if status in DECIDED or status == "merged":
            start = review or published
            decided = min(start + timedelta(seconds=rng.randrange(86400, 20 * 86400)), now)
            answered = decided
        elif status == "under_review" and rng.random() < 0.3:
            answered = between(rng, review, now)
        return {
            "title": title, "problem": problem, "suggestion": suggestion,
            "category_id": category, "branch_id": rng.choice(branches), "author_id": author,
            "hide_name": rng.random() < 0.1, "origin": origin, "entered_by_id": entered_by,
            "status": status, "support_count": supports, "comment_count": 0,
            "trending_score": 0.0, "created_at": created, "updated_at": created,
            "last_activity_at": created, "reviewed_at": reviewed, "published_at": published,
            "response_due_at": due, "first_answer_at": answered, "decided_at": decided,
            "feasibility_note": ("需要评估预算和施工时间。" if chinese else
                                 "We are checking the budget and the building work needed.")
            if status == "under_review" and answered else None,
            "merged_into_id": None,
            "hidden_at": now - timedelta(hours=rng.randrange(1, 200))
            if status == "open" and rng.random() < 0.002 else None,
            # not columns: used to build the related rows
            "_chinese": chinese, "_review": review,
            "_withdrawn": between(rng, published, now) if status == "withdrawn" else None,
        }

    def _text(self, chinese: bool, categories) -> tuple[str, int, str, str]:
        rng = self.rng
        if chinese:
            want, slug = rng.choice(phrases.ZH_WANTS)
            title = rng.choice(phrases.ZH_PLACES) + want
            problem = "".join(rng.sample(phrases.ZH_PROBLEMS, rng.randint(2, 4)))
            suggestion = "".join(rng.sample(phrases.ZH_SUGGESTIONS, rng.randint(1, 3)))
        else:
            want, slug = rng.choice(phrases.EN_WANTS)
            title = f"{want} {rng.choice(phrases.EN_PLACES)}"
            problem = " ".join(rng.sample(phrases.EN_PROBLEMS, rng.randint(2, 4)))
            suggestion = " ".join(rng.sample(phrases.EN_SUGGESTIONS, rng.randint(1, 3)))
        return title[:140], categories[slug], problem, suggestion

    def support_window(self, row: dict) -> tuple[datetime, datetime]:
        start = row["published_at"] or row["created_at"]
        end = row["decided_at"] or row["_withdrawn"] or self.now
        return start, max(start, end)

    def supports(self, proposals: list[dict]):
        """Tuples (id, user_id, proposal_id, created_at), proposal by proposal; fills in each
        proposal's trending score and last activity on the way."""
        rng, sid = self.rng, 0
        for row in proposals:
            row["trending_score"] = weight(row["created_at"])
            if not row["support_count"]:
                continue
            start, end = self.support_window(row)
            span = int((end - start).total_seconds())
            users = rng.sample(self.patron_ids, row["support_count"])
            offsets = sorted(int(span * rng.random() ** 1.8) for _ in users)
            score = row["trending_score"]
            for user_id, offset in zip(users, offsets, strict=False):
                sid += 1
                moment = start + timedelta(seconds=offset)
                score += weight(moment)
                yield (sid, user_id, row["id"], moment)
            row["trending_score"] = score
            row["last_activity_at"] = max(row["last_activity_at"], moment)

    def comments(self, proposals: list[dict]) -> list[dict]:
        rng, rows = self.rng, []
        talked = [row for row in proposals if row["status"] in PUBLISHED
                  and row["status"] != "merged"]
        weights = [(row["support_count"] + 1) ** 0.6 * rng.random() for row in talked]
        counts = allocate(rng, weights, self.size.comments - self._officials(talked), 10**9)
        for row, count in zip(talked, counts, strict=False):
            start, end = row["published_at"], row["decided_at"] or self.now
            texts = phrases.ZH_COMMENTS if row["_chinese"] else phrases.EN_COMMENTS
            for _ in range(count):
                rows.append({"proposal_id": row["id"], "author_id": rng.choice(self.patron_ids),
                             "body": rng.choice(texts), "is_official": False,
                             "created_at": between(rng, start, end, 1.5), "hidden_at": None})
            if row["status"] in DECIDED:
                texts = phrases.OFFICIAL_ZH if row["_chinese"] else phrases.OFFICIAL_EN
                rows.append({"proposal_id": row["id"], "author_id": rng.choice(self.staff_ids),
                             "body": rng.choice(texts), "is_official": True,
                             "created_at": row["decided_at"], "hidden_at": None})
        rows.sort(key=lambda c: c["created_at"])
        for cid, comment in enumerate(rows, start=1):
            comment["id"] = cid
        for comment in rows:
            row = proposals[comment["proposal_id"] - 1]
            row["comment_count"] += 1
            row["last_activity_at"] = max(row["last_activity_at"], comment["created_at"])
        return rows

    @staticmethod
    def _officials(talked) -> int:
        return sum(row["status"] in DECIDED for row in talked)

    def events(self, proposals: list[dict]) -> list[dict]:
        """The timeline: creation, publication, review, decision, project steps."""
        rng, rows = self.rng, []

        def add(row, old, new, at, actor, note="", public=True):
            rows.append({"proposal_id": row["id"], "from_status": old, "to_status": new,
                         "actor_id": actor, "note": note, "is_public": public, "created_at": at})
            row["updated_at"] = max(row["updated_at"], at)
            row["last_activity_at"] = max(row["last_activity_at"], at)

        for row in proposals:
            status, staff = row["status"], rng.choice(self.staff_ids)
            add(row, None, "submitted", row["created_at"], row["author_id"])
            if status in ("changes_requested", "rejected"):
                add(row, "submitted", status, row["reviewed_at"], staff, "请补充细节。", False)
                continue
            if not row["published_at"]:
                continue
            add(row, "submitted", "open", row["published_at"], staff)
            if row["_review"]:
                add(row, "open", "under_review", row["_review"], None)
            source = "under_review" if row["_review"] else "open"
            if status in ("merged", "declined"):
                add(row, source, status, row["decided_at"], staff, "Thank you: see the answer.")
            elif status in ("accepted", "in_progress", "completed"):
                add(row, "under_review", "accepted", row["decided_at"], staff, "Accepted.")
                steps = ["in_progress", "completed"][: ["accepted", "in_progress",
                                                        "completed"].index(status)]
                previous, at = "accepted", row["decided_at"]
                for step in steps:
                    at = between(rng, at, self.now)
                    add(row, previous, step, at, staff)
                    row["_" + step] = at
                    previous = step
            elif status == "withdrawn":
                add(row, source, "withdrawn", row["_withdrawn"], row["author_id"])
        return rows

    def projects(self, proposals: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
        rng, projects, volunteers, outcomes = self.rng, [], [], []
        for row in proposals:
            if row["status"] not in ("in_progress", "completed"):
                continue
            pid = len(projects) + 1
            started = row["_in_progress"]
            places = rng.randint(4, 20)
            members = rng.randint(0, places)
            waiting = rng.randint(0, 3) if members == places else 0
            done = row.get("_completed")
            projects.append({
                "id": pid, "proposal_id": row["id"], "goal": row["suggestion"],
                "volunteer_tasks": row["problem"], "places": places, "members": members,
                "starts_on": started.date(), "ends_on": (started + timedelta(days=60)).date(),
                "lead_id": rng.choice(self.staff_ids), "created_at": started,
                "completed_at": done,
            })
            for position, user_id in enumerate(rng.sample(self.patron_ids, members + waiting)):
                joined = between(rng, started, done or self.now)
                volunteers.append({
                    "project_id": pid, "user_id": user_id,
                    "state": "member" if position < members else "waiting",
                    "joined_at": joined, "promoted_at": None,
                    "hours": Decimal(rng.randint(0, 40)) / 2 if done and position < members
                    else Decimal(0),
                })
            if done:
                outcomes.append({
                    "project_id": pid, "proposal_id": row["id"], "summary": row["suggestion"],
                    "evidence": "", "published_at": done, "supporters": row["support_count"],
                    "volunteers": members, "rating_count": 0, "rating_total": 0,
                })
        for vid, volunteer in enumerate(volunteers, start=1):
            volunteer["id"] = vid
        for oid, outcome in enumerate(outcomes, start=1):
            outcome["id"] = oid
        return projects, volunteers, outcomes


def _public(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def roll_ups(backend: str) -> None:
    """The dashboard's roll-ups worked out from the loaded rows, as the app's migration would
    have; on PostgreSQL then vacuumed and analysed, as autovacuum would have by now."""
    from app.extensions import db
    from app.insight import rollups

    started = time.perf_counter()
    if backend == "postgres":  # sorts millions of rows: in memory rather than in files
        db.session.execute(text("SET LOCAL work_mem = '512MB'"))
    rollups.rebuild()
    db.session.commit()
    if backend == "postgres":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE) participation, support_tally"))
    db.session.remove()
    db.engine.dispose()
    sys.stderr.write(f"  dashboard roll-ups in {time.perf_counter() - started:.1f} s\n")


def generate(size_name: str, backend: str, seed: int, anchor: datetime) -> dict:
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.passwords import hash_password
    from app.extensions import db

    size = SIZES[size_name]
    url = database_url(backend, size_name)
    started = time.perf_counter()
    fresh_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        schema = required_defaults(db.engine, db.metadata)
        categories = dict(db.session.execute(text("SELECT slug, id FROM category")).all())
        branches = [b for (b,) in db.session.execute(text("SELECT id FROM branch ORDER BY id"))]
        db.session.remove()
        db.engine.dispose()
    sys.stderr.write(f"migrated in {time.perf_counter() - started:.1f} s; generating {size_name}"
                     f" (seed {seed}, anchor {anchor:%Y-%m-%d %H:%M})\n")

    data = DataSet(size, seed, anchor)
    password_hash = hash_password(PASSWORD)  # once: Argon2 is slow on purpose
    users = data.users(password_hash)
    proposals = data.proposals(categories, branches)
    if backend == "sqlite":
        loader = SqliteLoader(make_url(url).database, schema)
    else:
        loader = PostgresLoader(make_url(url).set(drivername="postgresql").render_as_string(
            hide_password=False), schema)
    counts = {"user": loader.load_dicts("user", users)}
    # Supports are generated before the proposals are written: their weights are the
    # proposals' trending scores. Kept compactly as tuples until the proposals are in.
    supports = []
    making = Progress("(making supports)", size.supports)
    for row in data.supports(proposals):
        supports.append(row)
        if len(supports) % CHUNK == 0:
            making.add(CHUNK)
    making.add(len(supports) % CHUNK)
    making.close()
    comments = data.comments(proposals)
    events = data.events(proposals)
    projects, volunteers, outcomes = data.projects(proposals)
    counts["proposal"] = loader.load_dicts("proposal", [_public(r) for r in proposals])
    counts["support"] = loader.load_stream(
        "support", ["id", "user_id", "proposal_id", "created_at"], iter(supports), len(supports))
    del supports
    for table, rows in (("comment", comments), ("proposal_event", events), ("project", projects),
                        ("volunteer", volunteers), ("outcome", outcomes)):
        counts[table] = loader.load_dicts(table, rows)
    loader.finish()
    with app.app_context():
        roll_ups(backend)
    loaded = time.perf_counter() - started

    engine = create_engine(url)
    with engine.connect() as connection:
        verdict = checks.counters(connection)
        verdict |= checks.trending_sample(connection, weight)
        if backend == "sqlite":
            verdict["fts"] = checks.fts(connection)
    engine.dispose()
    manifest = {
        "size": size_name, "backend": backend, "url": url, "seed": seed,
        "anchor": anchor.isoformat(), "password": PASSWORD, "rows": counts,
        "staff_ids": data.staff_ids, "patron_ids": [data.patron_ids.start, data.patron_ids.stop - 1],
        "seconds": round(time.perf_counter() - started, 1), "load_seconds": round(loaded, 1),
        "checks": verdict,
    }
    manifest_path(backend, size_name).write_text(json.dumps(manifest, indent=2))
    return manifest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="S", type=str.upper)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--anchor", type=datetime.fromisoformat,
                        default=datetime.now(timezone.utc).replace(
                            tzinfo=None, hour=0, minute=0, second=0, microsecond=0),
                        help="the data's 'now' (ISO date); default today 00:00 UTC")
    args = parser.parse_args(argv)
    result = generate(args.size, args.db, args.seed, args.anchor)
    rows = result["rows"]
    ok = all(value == 0 for key, value in result["checks"].items() if key.endswith("mismatches"))
    ok = ok and result["checks"].get("fts") in (None, "ok")
    where = make_url(result["url"])
    place = where.database if where.get_backend_name() == "sqlite" else f"postgres {where.database}"
    print(f"generated {args.size} on {args.db} in {result['seconds']} s: "
          f"{rows['user']:,} users, {rows['proposal']:,} proposals, {rows['support']:,} supports, "
          f"{rows['comment']:,} comments, {rows['proposal_event']:,} events, "
          f"{rows['project']:,} projects -> {place}; counters "
          f"{'exact' if ok else 'WRONG: ' + json.dumps(result['checks'])}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
