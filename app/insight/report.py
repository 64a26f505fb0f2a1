"""The dashboard's figures as tables: the page draws them, the CSV download writes them."""
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_skeleton
from flask_babel import format_date, format_percent, get_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.insight import charts, metrics
from app.terms import Term


@dataclass
class Figure:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    chart: Markup | None = None
    note: str = ""  # what the figure is measured against, when that is worth saying


def _pct(value: float | None) -> str:
    return "—" if value is None else format_percent(value, "#,##0%")


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def build(period: metrics.Period, now: datetime) -> dict[str, Figure]:
    figures = [_activity(period), _categories(period), _patron_types(period),
               _initiative(period), _service(period, now), _workshops(period)]
    return {figure.key: figure for figure in figures}


def _activity(period) -> Figure:
    series = metrics.activity(period)
    if series.unit == "month":  # "Mar 2026", "2026年3月"
        labels = [format_skeleton("yMMM", day, locale=get_locale()) for day in series.buckets]
    else:
        labels = [format_date(day, "medium") for day in series.buckets]
    first = {"day": _l("Day"), "week": _l("Week of"), "month": _l("Month")}[series.unit]
    headers = [str(first), str(_l("Submissions")),
               str(_l("Supports")), str(_l("Unique participants"))]
    rows = [list(row) for row in zip(labels, series.submissions, series.supports,
                                     series.participants, strict=False)]
    units = {"day": (_l("Proposals submitted per day"), _l("Supports given per day"),
                     _l("Patrons taking part per day")),
             "week": (_l("Proposals submitted per week"), _l("Supports given per week"),
                      _l("Patrons taking part per week")),
             "month": (_l("Proposals submitted per month"), _l("Supports given per month"),
                       _l("Patrons taking part per month"))}[series.unit]
    chart = Markup("").join(
        Markup('<h3 class="chart-title" id="activity-{0}">{1}</h3>').format(key, title)
        + charts.columns(values, labels, title_id=f"activity-{key}", caption=str(unit))
        for key, title, values, unit in (
            ("submissions", _l("Submissions"), series.submissions, units[0]),
            ("supports", _l("Supports"), series.supports, units[1]),
            ("participants", _l("Unique participants"), series.participants, units[2])))
    return Figure("activity", str(_l("Submissions, supports and participants over time")),
                  headers, rows, chart)


def _categories(period) -> Figure:
    rows = [[row.name, row.submissions, row.supports] for row in metrics.by_category(period)]
    return Figure("categories", str(_l("By category")),
                  [str(_l("Category")), str(_l("Submissions")), str(_l("Supports"))], rows,
                  charts.bars([(r[0], r[2]) for r in rows], title_id="figure-categories",
                              caption=_("Supports given in the period, per category")))


def _patron_types(period) -> Figure:
    term = Term.of(period.end)
    population = metrics.population_of(term.code)
    shares = metrics.by_patron_type(period, population)
    rows = [[s.label, s.participants, _pct(s.participant_share), s.registered,
             _pct(s.registered_share)] for s in shares]
    if population:
        title = _("Who takes part, against the population of %(term)s", term=term.label)
        base, share = _("Population"), _("Share of the population")
        note = _("Patrons only, against the population entered for %(term)s.", term=term.label)
        unit = _("Each patron type's share of all participants and of the population, in per "
                 "cent")
    else:
        title = str(_l("Who takes part, against who is registered"))
        base, share = str(_l("Registered")), str(_l("Share of registered"))
        note = _("No population is entered for %(term)s, so participants are compared with the "
                 "patrons registered now (closed accounts left out).", term=term.label)
        unit = _("Each patron type's share of all participants and of registered patrons, in "
                 "per cent")
    return Figure(
        "patron_types", title,
        [str(_l("Patron type")), str(_l("Participants")), str(_l("Share of participants")),
         base, share], rows,
        charts.compare([(s.label, round(s.participant_share * 100),
                         round(s.registered_share * 100)) for s in shares],
                       series=(str(_l("Share of participants")), str(share)),
                       title_id="figure-patron_types", unit="%",
                       caption=unit), note)


def _initiative(period) -> Figure:
    split = metrics.initiative(period)
    rows = [[i.label, i.by_patrons, i.invited, i.by_staff, _pct(i.patron_share)] for i in split]
    return Figure(
        "initiative", str(_l("Started by patrons, invited by a call for ideas, or started by "
                             "staff (desk intake, staff ideas)")),
        [pgettext("dashboard", "What"), str(_l("Started by patrons")),
         str(_l("Invited (calls for ideas)")), str(_l("Started by staff")),
         str(_l("Patron share"))], rows,
        charts.bars([(i.label, round((i.patron_share or 0) * 100)) for i in split],
                    title_id="figure-initiative", unit="%",
                    caption=_("Share of proposals started by patrons, in per cent")))


def _service(period, now) -> Figure:
    answer = metrics.responsiveness(period, now)
    decided = metrics.decisions(period)
    given = metrics.contribution(period)
    rows = [
        [str(_l("Proposals answered by staff")), answer.answered],
        [str(_l("Median days from publication to first staff answer")), _days(answer.median_days)],
        [str(_l("90th percentile of those days")), _days(answer.p90_days)],
        [str(_l("Answers due in the period")), answer.promised],
        [str(_l("Answered within the promise")), _pct(answer.kept_share)],
        [str(_l("Decided")), decided.decided],
        [str(_l("Acceptance rate")), _pct(decided.acceptance)],
        [str(_l("Decline rate")), _pct(decided.decline)],
        [str(_l("Completion rate of accepted proposals")), _pct(decided.completion)],
        [str(_l("Volunteer hours")), f"{given.volunteer_hours:g}"],
        [str(_l("Volunteers who joined")), given.volunteers],
        [str(_l("Outcomes published")), given.outcomes],
        [str(_l("Outcome ratings")), given.ratings],
        [str(_l("Average rating (of 5)")), "—" if given.rating_average is None
         else f"{given.rating_average:.1f}"],
    ]
    return Figure("service", str(_l("How the library answers")),
                  [str(_l("Measure")), str(_l("Value"))], rows)


def _workshops(period) -> Figure:
    held, by_type = metrics.workshops(period)
    total = metrics.WorkshopAttendance(str(_l("All patrons")),
                                       sum(row.registered for row in by_type),
                                       sum(row.attended for row in by_type))
    rows = [[row.label, row.registered, row.attended, _pct(row.rate)]
            for row in (total, *by_type)]
    return Figure(
        "workshops", str(_l("Workshops: %(held)d held; registrations and attendance",
                            held=held)),
        [str(_l("Patron type")), str(_l("Registrations")), str(_l("Attended")),
         str(_l("Attendance rate"))], rows)
