"""Who may read the dashboard: library staff (its figures count patrons, never name them)."""
from app.auth.policies import is_staff


def can_view_dashboard(user, obj=None) -> bool:
    return is_staff(user)
