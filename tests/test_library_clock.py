"""Every time a person reads is on the library's clock (Asia/Shanghai by default), to the
minute: 16:05 UTC on 7 December is already 00:05 on the 8th for the library's readers."""
import re
from datetime import datetime

from sqlalchemy import update

from app.extensions import db
from app.proposals.models import Proposal, ProposalEvent

JUST_AFTER_FOUR_UTC = datetime(2026, 12, 7, 16, 5, 42)


def visible(page: str) -> str:
    return re.sub(r"<[^>]+>", " ", page)


def _dated(proposal) -> None:
    db.session.execute(update(Proposal).where(Proposal.id == proposal.id)
                       .values(created_at=JUST_AFTER_FOUR_UTC))
    db.session.execute(update(ProposalEvent).where(ProposalEvent.proposal_id == proposal.id)
                       .values(created_at=JUST_AFTER_FOUR_UTC))
    db.session.commit()


def test_a_chinese_reader_sees_the_next_day_after_midnight_in_shanghai(client, make_proposal):
    proposal = make_proposal()
    _dated(proposal)
    page = client.get(f"/proposals/{proposal.id}", headers={"Accept-Language": "zh-CN"}).text
    shown = visible(page)
    assert "2026年12月8日 00:05" in shown  # the timeline, to the minute
    assert "00:05:42" not in shown and "16:05" not in shown and "12月7日" not in shown
    assert 'datetime="2026-12-07T16:05:42Z"' in page  # machines read UTC, to the second


def test_an_english_reader_sees_the_same_moment_written_their_way(client, make_proposal):
    proposal = make_proposal()
    _dated(proposal)
    page = client.get(f"/proposals/{proposal.id}", headers={"Accept-Language": "en"}).text
    shown = visible(page)
    assert "8 Dec 2026, 00:05" in shown and "7 Dec 2026" not in shown


def test_the_list_dates_a_proposal_by_the_librarys_day(client, make_proposal):
    proposal = make_proposal(title="Sockets for the third floor")
    _dated(proposal)
    page = client.get("/proposals", headers={"Accept-Language": "zh-CN"}).text
    assert "2026年12月8日" in page and "2026年12月7日" not in page
