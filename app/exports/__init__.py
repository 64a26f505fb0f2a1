"""CSV exports for staff: the insight numbers, for those who would rather compute."""
