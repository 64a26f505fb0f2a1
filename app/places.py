"""Limited places with a waiting list, one rule for every feature that has them (projects'
volunteers, workshops' registrations): never over-filled, whatever the concurrency, and the
waiting list served in arrival order.

A place is claimed by a guarded UPDATE of the owner's stored count (`taken < places`), which
holds the owner's row until commit: simultaneous claims queue behind it and each sees the count
the previous one left. Only then is the seat row written. The seat rows' ids are arrival order.
"""
from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db
from app.timeutil import utcnow


def claim(owner, taken: InstrumentedAttribute, places: InstrumentedAttribute) -> bool:
    """Take one of `owner`'s places if one is free: True when taken."""
    model = type(owner)
    return db.session.execute(
        update(model).where(model.id == owner.id, taken < places).values({taken: taken + 1})
        .execution_options(synchronize_session=False)
    ).rowcount == 1


def release(owner, taken: InstrumentedAttribute) -> None:
    model = type(owner)
    db.session.execute(update(model).where(model.id == owner.id).values({taken: taken - 1})
                       .execution_options(synchronize_session=False))


def promote_next(seat_model, owner_column: InstrumentedAttribute, owner_id: int, *,
                 waiting: str, taken: str) -> int | None:
    """The first waiting takes the freed place (the count stays): their user id, or None."""
    for _attempt in range(5):  # another release may promote the same seat first: try the next
        candidate = db.session.scalar(
            select(seat_model.id).where(owner_column == owner_id, seat_model.state == waiting)
            .order_by(seat_model.id).limit(1))
        if candidate is None:
            return None
        promoted = db.session.scalar(
            update(seat_model).where(seat_model.id == candidate, seat_model.state == waiting)
            .values(state=taken, promoted_at=utcnow())
            .returning(seat_model.user_id).execution_options(synchronize_session=False))
        if promoted is not None:
            return promoted
    return None
