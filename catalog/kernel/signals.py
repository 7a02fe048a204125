"""Signals the core sends, so feature packages can follow changes without the core knowing them.

``products_changed`` is sent with ``product_ids`` when rows were written in
bulk, outside the ORM (demo data, imports); ORM changes are seen by the
listeners themselves.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
products_changed = _signals.signal("products-changed")
#: sent with ``positions`` (a range) when change-feed events were appended, in their transaction
feed_appended = _signals.signal("feed-appended")
