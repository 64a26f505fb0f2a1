"""What happened in the domain, announced by the services that made it happen.

A service changes its rows, flushes, then publishes one of these events with the objects it
touched and the acting user (`by`, None when the rules acted by themselves). Whatever must be
kept up to date from the change subscribes in its own package: the dashboard's roll-ups
(`app/insight/subscribers.py`), notifications and their e-mails (`app/notifications/
subscribers.py`), the audit log (`app/audit.py`). Signals are synchronous, so every subscriber
runs in the publisher's transaction: the view's one commit keeps them all, a rollback undoes
them all, and counts stay exact under concurrency. A new write path publishes the event of what
it did; it never calls a subscriber by hand.

Each event is sent with the main object as the sender and keyword arguments named below.
"""
from blinker import Namespace

_events = Namespace()


def _event(name: str, doc: str):
    return _events.signal(name, doc=doc)


# Proposals
proposal_created = _event("proposal_created", "proposal; by (the author), entered_by")
proposal_edited = _event("proposal_edited", "proposal; by; was_branch_id, was_category_id")
support_added = _event("support_added", "proposal; by; at")
support_withdrawn = _event("support_withdrawn", "proposal; by; given_at")
comment_added = _event("comment_added", "comment; proposal; by")
comment_edited = _event("comment_edited", "comment; by (its author)")
comment_deleted = _event("comment_deleted", "comment; by (its author)")
status_changed = _event("status_changed",
                        "proposal; by (None: the threshold); action; from_status; note; public")
proposals_merged = _event("proposals_merged",
                          "source; target; by; moved (user id, given_at) of the source's "
                          "supports; carried (user ids whose support now counts on the target); "
                          "at; former (the source's status, decided_at, first_answer_at, "
                          "reviewed_at before); photos (id, former position) carried")
merge_undone = _event("merge_undone",
                      "source; target; by; merged_at; returned (user id, given_at) of the "
                      "supports back on the source; removed (user ids whose carried support "
                      "left the target)")

follow_changed = _event("follow_changed", "proposal; by; following (True: follows now)")

# Calls for ideas
call_created = _event("call_created", "call; by")
call_changed = _event("call_changed", "call; by; changed (names of the fields that changed)")
questionnaire_changed = _event("questionnaire_changed",
                               "questionnaire; by; change (add_question, remove_question, "
                               "publish_results, withdraw_results)")
questionnaire_answered = _event("questionnaire_answered", "questionnaire; by (the patron)")

# Consultations on a draft
consultation_created = _event("consultation_created", "consultation; by")
consultation_changed = _event("consultation_changed",
                              "consultation; by; changed (names of the fields that changed)")
consultation_responded = _event("consultation_responded", "consultation; by; first (True: "
                                "the response was published now, False: changed)")
consultation_commented = _event("consultation_commented", "comment; consultation; by")

# Moderation
classification_changed = _event("classification_changed",
                                "proposal; by; was_branch_id, was_category_id")
official_response_marked = _event("official_response_marked", "comment; by; official")
feasibility_noted = _event("feasibility_noted", "proposal; by; note")
flags_resolved = _event("flags_resolved", "subject (proposal, comment or photo); by; upheld; note")
comment_hidden = _event("comment_hidden", "comment; by; hidden; note")
photo_hidden = _event("photo_hidden", "photo (on a proposal, update or outcome); by; hidden")

# Projects, volunteers and outcomes
volunteer_joined = _event("volunteer_joined", "project; by; place")
volunteer_left = _event("volunteer_left", "project; by; promoted (user id or None)")
hours_recorded = _event("hours_recorded", "volunteer; by; hours")
project_update_posted = _event("project_update_posted", "update; project; by")
milestone_changed = _event("milestone_changed", "milestone; by; done_on")
outcome_recorded = _event("outcome_recorded", "outcome; project; by")
outcome_rated = _event("outcome_rated", "rating; outcome; by")

# Workshops
workshop_scheduled = _event("workshop_scheduled", "workshop; by")
workshop_changed = _event("workshop_changed", "workshop; by; moved (True when its times changed)")
workshop_cancelled = _event("workshop_cancelled", "workshop; by; reason")
workshop_registered = _event("workshop_registered", "registration; workshop; by; seat")
workshop_registration_cancelled = _event("workshop_registration_cancelled",
                                         "workshop; by; promoted (registration or None)")
attendance_taken = _event("attendance_taken", "registration; workshop; by; attended")
minutes_published = _event("minutes_published", "workshop; by")
workshop_linked = _event("workshop_linked",
                         "link (a WorkshopLink); workshop; by; added (False: removed)")

# Accounts and the library's settings
role_changed = _event("role_changed", "user; by; role")
account_suspended = _event("account_suspended", "user; by; until; reason")
suspension_lifted = _event("suspension_lifted", "user; by")
settings_changed = _event("settings_changed", "by (the sender); changed (\"key=value\" each)")
place_saved = _event("place_saved", "category or branch; by")
population_saved = _event("population_saved",
                          "by (the sender); term (its code); changed (\"patron_type=people\" each)")
glossary_changed = _event("glossary_changed",
                          "glossary term (English and Chinese); by; added (False: removed)")
role_granted_from_claims = _event("role_granted_from_claims",
                                  "user; provider; role; group (the configured group claimed)")

ALL = tuple(_events.values())
