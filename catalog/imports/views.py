"""Admin: import a provincial decision's list (recognitions) or a revocation decision, from CSV or XLSX.

Upload, preview, confirm. The upload becomes an import run (:mod:`catalog.imports.runs`)
holding the file. Its check runs the whole import in a rolled-back savepoint and
shows what would be done; the confirmation imports it for real. A small file is
checked and imported inside the request; a larger one by jobs, while its page
(``/admin/imports/runs/<token>``) shows the progress and refreshes itself. A file
with any bad row lists every one (line, column, problem), and nothing is written.
"""
from __future__ import annotations

import re

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from catalog.imports import operations as imports
from catalog.imports import runs
from catalog.imports.blueprint import bp
from catalog.imports.models import RUNNING, ImportRun
from catalog.imports.report import ImportReport
from catalog.imports.report import problems_csv as report_problems_csv
from catalog.kernel import roles
from catalog.kernel.errors import DomainError
from catalog.kernel.text import slugify
from catalog.platform.forms import saved
from catalog.platform.i18n import translate
from catalog.platform.permissions import requires

KINDS = ("decisions", "revocations")
TOKEN = re.compile(r"^[0-9a-f]{32}$")
#: the run page reloads itself this often while a job works on it
REFRESH_SECONDS = 2
#: the most problems, and rows of a preview, a page lists (all problems: the run's CSV download)
PROBLEMS_SHOWN = 300
ROWS_SHOWN = 500


@bp.get("/imports", endpoint="imports")
@requires(roles.RECOGNITIONS)
def import_forms():
    return _forms()


@bp.post("/imports/preview")
@requires(roles.RECOGNITIONS)
def import_preview():
    kind = request.form.get("kind", "")
    if kind not in KINDS:
        return _forms({"kind": [_("Choose what the file holds: recognitions or revocations.")]}, status=400)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _forms({kind: [_("Choose a CSV or XLSX file.")]}, kind=kind, status=400)
    ext = imports.extension(upload.filename)
    data = upload.stream.read(imports.MAX_BYTES + 1)
    if not ext:
        error = _("The file must be a .csv or .xlsx file.")
    elif len(data) > imports.MAX_BYTES:
        error = _("The file is larger than %(mb)s MB: split it into several files.", mb=imports.MAX_BYTES // 2**20)
    elif not data:
        error = _("The file is empty.")
    elif imports.sniff(data, ext):
        error = {"xlsx": _("The file is not an XLSX workbook."),
                 "csv": _("The file is a workbook, not CSV: name it .xlsx.") if data[:2] == b"PK"
                 else _("The file is not UTF-8 text: save it as “CSV UTF-8”.")}[ext]
    else:
        error = None
    if error:
        return _forms({kind: [error]}, kind=kind, status=400)
    run = runs.start(kind, upload.filename, data, current_user.email)
    if not runs.is_small(run):
        runs.queue(run)
        return saved(_("The file was received and is being checked."), "imports.import_run", token=run.token)
    report = runs.check(run)
    return _run_page(run, report)


@bp.get("/imports/runs/<token>")
@requires(roles.RECOGNITIONS)
def import_run(token: str):
    run = runs.find(token) if TOKEN.match(token) else None
    if run is None:
        return _forms({"_": [_("This upload is no longer available (already imported, or older than a day): "
                               "upload the file again.")]}, status=404)
    return _run_page(run, runs.report_of(run))


@bp.get("/imports/runs/<token>/problems.csv")
@requires(roles.RECOGNITIONS)
def import_problems_csv(token: str):
    """Every problem of a run, as CSV: line, column, problem."""
    run = runs.find(token) if TOKEN.match(token) else None
    report = runs.report_of(run) if run is not None else None
    if run is None or report is None:
        return _forms({"_": [_("This upload is no longer available (already imported, or older than a day): "
                               "upload the file again.")]}, status=404)
    data = report_problems_csv(report.problems, translate, (_("Line"), _("Column"), _("Problem")))
    stem = slugify(run.filename.rsplit(".", 1)[0], max_length=60)
    return Response(data, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{stem}-problems.csv"'})


@bp.post("/imports/confirm")
@requires(roles.RECOGNITIONS)
def import_confirm():
    token = request.form.get("token", "")
    if not TOKEN.match(token):
        return _forms({"_": [_("This confirmation is not valid: upload the file again.")]}, status=400)
    runs.take_write_lock()
    run = runs.find(token)
    try:
        if run is not None:
            runs.confirm(run)
    except DomainError as exc:
        if exc.code == runs.ALREADY_CONFIRMED and run is not None:
            return saved(_("This import was already confirmed: it is applied once, whatever the number of "
                           "clicks."), "imports.import_run", token=run.token)
        run = None
    if run is None:
        return _forms({"_": [_("This upload is no longer available (already imported, or older than a day): "
                               "upload the file again.")]}, status=404)
    if not runs.is_small(run):
        runs.queue(run)
        return saved(_("The import was confirmed and is being applied."), "imports.import_run", token=run.token)
    report = runs.apply(run)
    if not report.ok:
        return _run_page(run, report)
    return saved(_done_message(run, report), "imports.imports")


def _run_page(run: ImportRun, report: ImportReport | None):
    """The run as it stands: progress while a job works, the preview, its problems, or the result."""
    if run.status in RUNNING or report is None:
        done, total, phase = runs.progress(run)
        return render_template("imports/import_running.html", run=run, done=done, total=total, phase=phase,
                               refresh=REFRESH_SECONDS if run.error is None else None)
    if run.status == "problems":
        return render_template("imports/import_problems.html", report=report, filename=run.filename,
                               token=run.token, shown=PROBLEMS_SHOWN), 422
    if run.status == "done":
        return render_template("imports/import_done.html", run=run, message=_done_message(run, report))
    return render_template("imports/import_preview.html", report=report, kind=run.kind, token=run.token,
                           filename=run.filename, shown=ROWS_SHOWN)


def _done_message(run: ImportRun, report: ImportReport) -> str:
    counts = report.counts
    if run.kind == "revocations":
        return _("Imported %(file)s: %(revoked)s recognitions revoked.", file=run.filename, revoked=counts["revoked"])
    return _("Imported %(file)s: %(rows)s rows; %(producers)s producers and %(products)s products created; "
             "%(recorded)s recognitions recorded (%(expired)s already expired); %(communes)s communes added.",
             file=run.filename, rows=counts["rows"], producers=counts["producers_created"],
             products=counts["products_created"],
             recorded=counts["first"] + counts["re_recognition"] + counts["upgrade"],
             expired=counts["expired_on_arrival"], communes=counts["communes_added"])


def _forms(errors: dict[str, list[str]] | None = None, kind: str = "", status: int = 200):
    return render_template("imports/imports.html", errors=errors or {}, kind=kind,
                           decision_columns=imports.DECISION_COLUMNS, decision_required=imports.DECISION_REQUIRED,
                           revocation_columns=imports.REVOCATION_COLUMNS,
                           revocation_required=imports.REVOCATION_REQUIRED,
                           max_mb=imports.MAX_BYTES // 2**20), status

