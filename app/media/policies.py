"""Who may see and moderate photos and documents."""
from app.auth.policies import is_signed_in, is_staff
from app.media.models import MediaFile


def can_view(user, photo: MediaFile) -> bool:
    """A photo staff hid stays visible to its owner and to staff, who judge it. Whether the
    proposal it belongs to may be seen is the proposal's rule, asked first."""
    if photo.hidden_at is None:
        return True
    return is_staff(user) or (is_signed_in(user) and user.id == photo.owner_id)


def can_hide(user, photo: MediaFile | None = None) -> bool:
    """Staff hide one photo without hiding the proposal that carries it."""
    return is_staff(user)
