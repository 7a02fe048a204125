"""Admin: import a provincial decision's list (recognitions) or a revocation decision, from CSV or XLSX.

Upload, preview, confirm. The preview checks every row and runs the whole import
in a rolled-back savepoint (:mod:`catalog.imports.operations`), keeps the uploaded bytes
under ``instance/uploads/imports/<token>.<ext>`` and shows what would be done; the
confirmation re-reads that file and imports it for real. A file with any bad row
answers 422 listing every one (line, column, problem), and nothing is written.
"""
from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from catalog.imports import operations as imports
from catalog.imports.blueprint import bp
from catalog.kernel import roles
from catalog.platform.forms import saved
from catalog.platform.permissions import requires

KINDS = ("decisions", "revocations")
TOKEN = re.compile(r"^[0-9a-f]{32}$")
KEEP_SECONDS = 24 * 3600        # previews never confirmed are removed after a day
_READ = {"decisions": imports.read_decisions, "revocations": imports.read_revocations}
_APPLY = {"decisions": imports.import_decisions, "revocations": imports.import_revocations}


def upload_folder() -> Path:
    return Path(current_app.instance_path) / "uploads" / "imports"


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
    report = _APPLY[kind](_READ[kind](data, upload.filename), actor=current_user.email, dry_run=True)
    if not report.ok:
        return _bad_rows(report, upload.filename)
    token = secrets.token_hex(16)
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder)
    (folder / f"{token}.{ext}").write_bytes(data)
    return render_template("imports/import_preview.html", report=report, kind=kind, token=token,
                           filename=upload.filename)


@bp.post("/imports/confirm")
@requires(roles.RECOGNITIONS)
def import_confirm():
    kind, token = request.form.get("kind", ""), request.form.get("token", "")
    if kind not in KINDS or not TOKEN.match(token):
        return _forms({"_": [_("This confirmation is not valid: upload the file again.")]}, status=400)
    stored = next((p for ext in imports.EXTENSIONS if (p := upload_folder() / f"{token}.{ext}").is_file()), None)
    if stored is None:
        return _forms({"_": [_("This upload is no longer available (already imported, or older than a day): "
                               "upload the file again.")]}, kind=kind, status=404)
    data = stored.read_bytes()
    filename = request.form.get("filename") or stored.name
    try:
        report = _APPLY[kind](_READ[kind](data, stored.name), actor=current_user.email)
    finally:
        stored.unlink(missing_ok=True)
    if not report.ok:
        return _bad_rows(report, filename)
    counts = report.counts
    if kind == "revocations":
        message = _("Imported %(file)s: %(revoked)s recognitions revoked.", file=filename, revoked=counts["revoked"])
    else:
        message = _("Imported %(file)s: %(rows)s rows; %(producers)s producers and %(products)s products created; "
                    "%(recorded)s recognitions recorded (%(expired)s already expired); %(communes)s communes added.",
                    file=filename, rows=counts["rows"], producers=counts["producers_created"],
                    products=counts["products_created"],
                    recorded=counts["first"] + counts["re_recognition"] + counts["upgrade"],
                    expired=counts["expired_on_arrival"], communes=counts["communes_added"])
    return saved(message, "imports.imports")


def _forms(errors: dict[str, list[str]] | None = None, kind: str = "", status: int = 200):
    return render_template("imports/imports.html", errors=errors or {}, kind=kind,
                           decision_columns=imports.DECISION_COLUMNS, decision_required=imports.DECISION_REQUIRED,
                           revocation_columns=imports.REVOCATION_COLUMNS,
                           revocation_required=imports.REVOCATION_REQUIRED,
                           max_mb=imports.MAX_BYTES // 2**20), status


def _bad_rows(report: imports.ImportReport, filename: str):
    return render_template("imports/import_problems.html", report=report, filename=filename), 422


def _remove_stale(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass
