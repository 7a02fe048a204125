"""``GET /api/v1/changes?after=&limit=``: the change feed, in position order, never skipping.

Before reading, the feed catches up with time (:func:`catalog.partners.feed.catch_up`):
a recognition that lapsed a second ago is already a ``delisted``/``expired`` event.
"""
from __future__ import annotations

from flask import jsonify

from catalog.partners import feed
from catalog.partners.api import bp
from catalog.partners.api.args import load_args
from catalog.partners.api.schemas import ChangesArgs


@bp.get("/changes")
def changes():
    args = load_args(ChangesArgs())
    after = int(args["after"])
    events = feed.events_after(after, args["limit"])
    return jsonify(events=[feed.event_json(e) for e in events],
                   next_cursor=str(events[-1].position if events else after))
