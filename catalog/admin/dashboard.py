"""Admin dashboard ``/admin/``: products in force, recognitions to watch, queues and scans.

The figures are the core's queries (:mod:`catalog.admin.figures`) as of one instant;
this view only names them in the reader's language and draws them (:mod:`.charts`).
"""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from catalog import trace, violations
from catalog.admin import charts, figures
from catalog.admin.blueprint import bp
from catalog.kernel import calendar, clock, programme, roles
from catalog.platform import labels
from catalog.platform.permissions import requires

LIST_ROWS = 20          # rows of each watch list shown; the count says how many there are


@bp.get("/")
@requires(roles.VIEW)
def dashboard():
    at = clock.now()
    stars = [(_("%(stars)d stars", stars=stars), count) for stars, count in figures.in_force_by_stars(at)]
    sectors = [(labels.sector(code), count) for code, count in figures.in_force_by_sector(at)]
    provinces = [(name, count) for _code, name, count in figures.in_force_by_province(at)]
    days = trace.scans_per_day(at)
    scans = [(f"{day:%d/%m}", sum(verdicts.values()), sum(n for v, n in verdicts.items() if v != "genuine"))
             for day, verdicts in days]
    top = max((total for _day, total, _other in scans), default=0)
    suspicious = trace.suspicious_stamps(at, trace.suspicion_policy())
    return render_template(
        "admin/dashboard.html", local=at.astimezone(calendar.zone()), list_rows=LIST_ROWS,
        total=figures.in_force_total(at),
        stars=stars, stars_svg=charts.bars("chart-stars", _("Products in force by stars"), stars),
        sectors=sectors, sectors_svg=charts.bars("chart-sectors", _("Products in force by sector"), sectors),
        provinces=provinces,
        provinces_svg=charts.bars("chart-provinces", _("Products in force by province"), provinces),
        window=figures.re_recognition_window(at), expiring=figures.expiring_soon(at),
        lapsed=figures.lapsed_not_renewed(at), violations=violations.open_violations(at),
        reports=violations.new_reports(at), scans=scans, scan_total=sum(total for _d, total, _o in scans),
        scans_svg=charts.columns("chart-scans", _("Scans per day, last %(days)d days", days=len(scans)),
                                 [(day, total) for day, total, _other in scans],
                                 note=_("highest: %(count)d", count=top)),
        suspicious=suspicious, filing_days=programme.RE_RECOGNITION_FILING_DAYS,
        expiring_days=figures.EXPIRING_DAYS, lapsed_days=figures.LAPSED_DAYS)


@bp.app_template_filter("nonempty")
def _nonempty(value):
    return value if value not in (None, "") else "—"
