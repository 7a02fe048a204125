"""Error pages in the reader's language."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from catalog.public import bp


@bp.app_errorhandler(400)
@bp.app_errorhandler(413)
@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
@bp.app_errorhandler(500)
def error_page(error):
    code = error.code if isinstance(error, HTTPException) else 500
    titles = {400: _("Bad request"), 404: _("Page not found"), 405: _("Method not allowed"), 413: _("File too large"),
              500: _("Something went wrong")}
    messages = {400: _("The request could not be read: %(problem)s", problem=getattr(error, "description", "")),
                404: _("There is no page at this address. Check the link, or search the catalog."),
                405: _("This address does not accept that request."),
                413: _("What you sent is larger than the service accepts. Send smaller or fewer files."),
                500: _("The service could not answer. Please try again in a moment.")}
    allowed = getattr(error, "valid_methods", None)          # RFC 9110: a 405 lists what is allowed
    return render_template("public/error.html", code=code, title=titles.get(code, str(code)),
                           message=messages.get(code, "")), code, {"Allow": ", ".join(allowed)} if allowed else {}
