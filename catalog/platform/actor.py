"""Who is writing: an admin's e-mail, ``sign-in from <address>``, or ``cli:<os user>`` in a command.

Set by the admin area for each signed-in request (:func:`set_actor`), cleared
when the request ends; read by the audit log. With no actor (public scans and
reports, partner API reads) nothing is attributed to anybody.
"""
from __future__ import annotations

import contextvars
import functools
import getpass
import os

import click

_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar("catalog_actor", default=None)
_in_request: contextvars.ContextVar[bool] = contextvars.ContextVar("catalog_actor_in_request", default=False)


def set_actor(who: str | None) -> None:
    """Name who is writing from now on in this context (a request, a task); ``None`` forgets."""
    _actor.set(who)


def request_began() -> None:
    """A web request starts: nobody writes until the admin names its user, and the CLI
    fallback is off (``flask run`` is a command too)."""
    _actor.set(None)
    _in_request.set(True)


def request_ended(error: BaseException | None = None) -> None:
    _actor.set(None)
    _in_request.set(False)


def current_actor() -> str | None:
    """Who the next write is by: the actor set, else ``cli:<os user>`` inside a command, else None."""
    who = _actor.get()
    if who is not None:
        return who
    if not _in_request.get() and click.get_current_context(silent=True) is not None:
        return f"cli:{_os_user()}"
    return None


@functools.cache
def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):          # no login name and no passwd entry (some containers)
        return f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"
