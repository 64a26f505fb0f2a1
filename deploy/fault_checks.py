"""What the fault test checks after the load (deploy/fault_test.py): supports against the clicks
the app acknowledged, stored counts against rows, the sign-in limit across hosts, and the outbox
against the mail files the worker wrote."""
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cluster  # noqa: E402 - deploy/ is not a package
from fault_load import Click, Patron, send, token_from  # noqa: E402

MAIL_FOLDER = cluster.ROOT / "instance" / "mail"
MESSAGE_ID = re.compile(r"^Message-ID: <outbox-(\d+)@commons>", re.MULTILINE)


def connect() -> psycopg.Connection:
    return psycopg.connect(host=cluster.PG_HOST, port=cluster.PG_PORT, user="postgres",
                           dbname=cluster.DATABASE, autocommit=True, connect_timeout=5)


# --- supports -----------------------------------------------------------------------------------

def stored_supports(emails: list[str]) -> Counter:
    """(e-mail, proposal id) -> how many support rows the pair has."""
    with connect() as connection:
        rows = connection.execute(
            'SELECT u.email, s.proposal_id, count(*) FROM support s JOIN "user" u '
            "ON u.id = s.user_id WHERE u.email = ANY(%s) GROUP BY u.email, s.proposal_id",
            (emails,)).fetchall()
    return Counter({(email, proposal_id): number for email, proposal_id, number in rows})


def load_state(patrons: list[Patron]) -> None:
    """What each patron supports before the load: the first click on a pair knows what to ask."""
    stored = stored_supports([patron.email for patron in patrons])
    for patron in patrons:
        patron.supports = {proposal_id: True for (email, proposal_id) in stored
                           if email == patron.email}


def check_supports(clicks: list[Click]) -> dict:
    """Every pair whose last click was acknowledged must be in that state, with one row at most;
    every proposal's support_count must equal its rows."""
    last: dict[tuple[str, int], Click] = {}
    for click in clicks:  # in the order the answers came; one patron clicks one at a time
        last[(click.email, click.proposal_id)] = click
    stored = stored_supports(sorted({click.email for click in clicks}))
    acknowledged = [click for click in clicks if 200 <= click.status < 300]
    lost = doubled = uncertain = 0
    for pair, click in last.items():
        doubled += stored[pair] > 1
        if 200 <= click.status < 300:
            lost += (stored[pair] > 0) != (click.want == "support")
        elif click.status >= 500 or click.status == 0:
            uncertain += 1
    with connect() as connection:
        counts_off = connection.execute(
            "SELECT count(*) FROM (SELECT p.id FROM proposal p LEFT JOIN support s "
            "ON s.proposal_id = p.id GROUP BY p.id, p.support_count "
            "HAVING p.support_count <> count(s.id)) AS off").fetchone()[0]
    return {"clicks": len(clicks), "acknowledged": len(acknowledged),
            "supports": sum(click.want == "support" for click in acknowledged),
            "withdrawals": sum(click.want == "withdraw" for click in acknowledged),
            "answer_disagrees": sum(click.answered is not None
                                    and click.answered != (click.want == "support")
                                    for click in acknowledged),
            "pairs": len(last), "lost": lost, "doubled": doubled, "uncertain": uncertain,
            "counts_off": counts_off, "rows": sum(stored.values())}


# --- the sign-in limit --------------------------------------------------------------------------

def sign_in_limit(run: str, attempts: int = 12) -> dict:
    """Wrong passwords for one account, alternating between two hosts straight (not through
    nginx), each from another forwarded address: only the per-account limit can stop them. It
    holds across hosts when the first 429 comes right after the allowed number."""
    allowed = int(os.environ.get("RATELIMIT_SIGN_IN_PER_ACCOUNT", "5 per minute").split()[0])
    email = f"limit-{run}@fault.example"
    statuses = []
    for attempt in range(attempts):
        port = cluster.PORTS[attempt % 2]
        patron = Patron(email)
        forwarded = {"X-Forwarded-For": f"10.26.{attempt // 250}.{attempt % 250 + 1}"}
        _, page = send("GET", f"http://127.0.0.1:{port}/auth/login", patron, headers=forwarded)
        status, _ = send("POST", f"http://127.0.0.1:{port}/auth/login", patron, headers=forwarded,
                         form={"csrf_token": token_from(page), "email": email,
                               "password": "not the password"})
        statuses.append(status)
    first = next((number for number, status in enumerate(statuses, 1) if status == 429), None)
    held = first == allowed + 1 and all(status == 429 for status in statuses[allowed:])
    return {"allowed": allowed, "statuses": statuses, "first_429": first, "held": held}


# --- the outbox ---------------------------------------------------------------------------------

def queue_messages(run: str, batch: str, number: int) -> list[int]:
    """Messages put in the outbox as the app does (a row the worker sends), to the test's own
    addresses; returns their ids."""
    with connect() as connection:
        return [connection.execute(
            "INSERT INTO outbox_message (\"to\", subject, body, created_at, attempts, "
            "last_error, attachment_name, attachment_type, attachment) VALUES "
            "(%s, %s, %s, now() AT TIME ZONE 'UTC', 0, '', '', '', '') RETURNING id",
            (f"outbox-{n}@fault.example", f"Fault test {run} {batch} #{n}",
             f"Message {n} of batch {batch}, fault test {run}.\n")).fetchone()[0]
            for n in range(1, number + 1)]


def delivered(ids: list[int]) -> Counter:
    """How many times each message is in the mail files (one file per connection)."""
    wanted, found = set(ids), Counter()
    if MAIL_FOLDER.is_dir():
        for path in MAIL_FOLDER.iterdir():
            for match in MESSAGE_ID.finditer(path.read_text(errors="replace")):
                if int(match.group(1)) in wanted:
                    found[int(match.group(1))] += 1
    return found


def wait_delivered(ids: list[int], seconds: float = 150) -> Counter:
    """The worker sends the outbox once a minute: wait for every message, or for the time."""
    deadline = time.monotonic() + seconds
    while len(found := delivered(ids)) < len(ids) and time.monotonic() < deadline:
        time.sleep(2)
    return found


def check_outbox(ids: list[int]) -> dict:
    found = wait_delivered(ids)
    return {"queued": len(ids), "delivered": len(found),
            "missing": len(set(ids) - set(found)),
            "duplicates": sum(1 for times in found.values() if times > 1)}
