"""Languages: Vietnamese first, English on request (``?lang=en``, kept in a cookie).

:func:`translate` is the one way a message of the core or a feature (a refusal, a form or import
problem, a Digital Link error) reaches a page: templates show every such message with the
``translate`` filter, views pass them through :func:`translate` into flash messages.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, Response, g, request, url_for
from flask_babel import Babel, get_locale, get_translations

from catalog.kernel import calendar
from catalog.kernel.i18n import Message

LANGUAGES = ("vi", "en")
DEFAULT = "vi"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        return chosen
    kept = request.cookies.get(COOKIE)
    return kept if kept in LANGUAGES else DEFAULT


def keep_choice(response: Response) -> Response:
    """Remember an explicit ``?lang=`` for the next pages."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    return response


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(value: dt.date | dt.datetime | None) -> str:
    """A date as people read it: 20/12/2024 in Vietnamese, 20 Dec 2024 in English.

    Spelt out here rather than through Babel's CLDR formatter, which costs more
    than the rest of a result card on a page of twenty.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = calendar.local_date(value)              # an instant: its date where the office is
    if str(get_locale()) == "en":
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def day_time(value: dt.datetime | None, seconds: bool = False) -> str:
    """An instant as its local date and time (hours and minutes, and seconds if asked); "—" for none."""
    if value is None:
        return "—"
    return f"{day(value)} {value.astimezone(calendar.zone()).strftime('%H:%M:%S' if seconds else '%H:%M')}"


def event_time(value: dt.datetime | None) -> str:
    """A traceability event's time on its own clock (the UTC offset it was recorded with); the offset is
    written only when it differs from the registry's zone (``CATALOG_TIMEZONE``) at that instant:
    "12/05/2026 08:30", "12/05/2026 08:30 (UTC+09:00)"; "—" for none."""
    if value is None:
        return "—"
    text = f"{day(value.date())} {value:%H:%M}"
    offset = value.utcoffset()
    if offset is None or offset == value.astimezone(calendar.zone()).utcoffset():
        return text
    sign, minutes = ("-" if offset < dt.timedelta(0) else "+"), abs(int(offset.total_seconds())) // 60
    return f"{text} (UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"


def language_url(code: str) -> str:
    """This page in language ``code`` (the home page when there is no route, as on errors)."""
    if request.endpoint is None or request.url_rule is None:
        return url_for("public.home", lang=code)
    args = {**request.args.to_dict(), **(request.view_args or {}), "lang": code}
    return url_for(request.endpoint, **args)


def translate(message: Any) -> str:
    """``message`` in the reader's language.

    A :class:`~catalog.kernel.i18n.Message`: its template looked up, its values formatted for the
    language (dates as :func:`day` writes them, a value that is itself a Message translated, numbers
    and names as they are). Other text is looked up as a msgid (marshmallow's own messages) and
    shown as it is when it is not one.
    """
    if isinstance(message, Message):
        text = _gettext(message.template)
        if not message.params:
            return text
        try:
            return text % {name: _value(value) for name, value in message.params.items()}
        except (KeyError, ValueError, TypeError):        # a translation naming a value the message lacks
            return str(message)
    if isinstance(message, str):
        return _gettext(message)
    return "" if message is None else str(message)


def _value(value: Any) -> Any:
    if isinstance(value, Message):
        return translate(value)
    if isinstance(value, dt.date):
        return day(value)
    return value


def _translations():
    """The request's translations, looked up once per language (Flask-Babel looks them up on every call)."""
    locale = get_locale()
    found = g.get("_catalog_translations")
    if found is None or found[0] is not locale:
        found = g._catalog_translations = (locale, get_translations())
    return found[1]


def _gettext(string: str) -> str:
    return _translations().ugettext(string)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ungettext(singular, plural, n)


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, default_locale=DEFAULT,
          default_timezone=app.config["CATALOG_TIMEZONE"])
    app.after_request(keep_choice)
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["day_time"] = day_time
    app.jinja_env.filters["event_time"] = event_time
    app.jinja_env.filters["translate"] = translate   # every message of the core or a feature shown on a page
    # Templates call gettext dozens of times a page: use the per-request lookup above.
    app.jinja_env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    app.jinja_env.globals["current_language"] = lambda: str(get_locale())
    app.jinja_env.globals["language_url"] = language_url
    from catalog.platform import labels, messages  # noqa: F401  (messages: marshmallow's own, marked for translation)
    labels.init_app(app)
