"""Recognition services: recognise, re-recognise, upgrade and revoke, with their history.

Each service validates its input, locks the product's row (so two officers
cannot race on one product), checks the rule in :mod:`.lifecycle`, then adds
the rows and flushes. Committing is the caller's job (one place per request
or per CLI command); on any error nothing has been added.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.kernel.errors import NotFound
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import RecognitionDecisionInput, RevocationInput, load
from catalog.kernel.lifecycle import plan_recognition, plan_revocation
from catalog.kernel.models.history import RecognitionEvent
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import KIND_FIRST, KIND_RE_RECOGNITION, KIND_UPGRADE, Recognition

_DECISION_INPUT = RecognitionDecisionInput()
_EVENTS = RecognitionEvent.__table__


def recognise(product: Product | int, *, actor: str, **decision: Any) -> Recognition:
    """Record a product's first recognition (or a new one after a lapse or revocation)."""
    return _record(KIND_FIRST, product, actor, decision)


def re_recognise(product: Product | int, *, actor: str, **decision: Any) -> Recognition:
    """Record a re-recognition: from 180 days before expiry of the latest, or after it lapsed."""
    return _record(KIND_RE_RECOGNITION, product, actor, decision)


def upgrade(product: Product | int, *, actor: str, **decision: Any) -> Recognition:
    """Record an upgrade: more stars than the recognition in force on the decision date."""
    return _record(KIND_UPGRADE, product, actor, decision)


def revoke(recognition: Recognition | int, *, actor: str, **revocation: Any) -> Recognition:
    """Revoke a recognition in force, by a decision on one of the six grounds. Final."""
    data = load(RevocationInput(), revocation)
    recognition_id = recognition if isinstance(recognition, int) else recognition.id
    found = db.session.get(Recognition, recognition_id)
    if found is None:
        raise NotFound(Message(N_("no recognition with id %(id)s"), id=recognition_id))
    _lock_product(found.product_id)
    db.session.refresh(found)
    db.session.add_all(plan_revocation(found, data, actor=actor, at=clock.now()))
    db.session.flush()
    return found


def history(product: Product | int) -> list[RecognitionEvent]:
    """The product's status history, oldest first."""
    product_id = product if isinstance(product, int) else product.id
    return list(db.session.scalars(
        select(RecognitionEvent).where(RecognitionEvent.product_id == product_id)
        .order_by(RecognitionEvent.recorded_at, RecognitionEvent.id)))


def _record(kind: str, product: Product | int, actor: str, decision: dict[str, Any]) -> Recognition:
    data = load(_DECISION_INPUT, decision)
    locked = _lock_product(product if isinstance(product, int) else product.id)
    existing = list(db.session.scalars(
        select(Recognition).where(Recognition.product_id == locked.id)
        .execution_options(populate_existing=True)))
    plan = plan_recognition(kind, locked.id, existing, data, actor=actor, at=clock.now())
    plan.recognition.product = locked
    db.session.add(plan.recognition)
    db.session.add_all(plan.events)
    db.session.flush()
    return plan.recognition


def _lock_product(product_id: int) -> Product:
    """Load the product ``FOR UPDATE`` (a no-op on SQLite, whose writers are serialised)."""
    product = db.session.scalars(
        select(Product).where(Product.id == product_id).with_for_update()).one_or_none()
    if product is None:
        raise NotFound(Message(N_("no product with id %(id)s"), id=product_id), field="product")
    return product


class Decisions:
    """Many decisions in one transaction (an import), written by one flush.

    Each is checked by :mod:`.lifecycle` as :func:`recognise`, :func:`re_recognise` and :func:`upgrade`
    check it, against the product's history: locked and read once (:meth:`load` takes many products in
    a few queries), then kept here with what this batch adds to it. A product may be one made in the
    same transaction and not flushed yet. Nothing is flushed until :meth:`flush`; on a refusal nothing
    has been added.
    """

    CHUNK = 500

    def __init__(self, actor: str):
        self.actor = actor
        self._history: dict[Product, list[Recognition]] = {}
        self._events: list[RecognitionEvent] = []

    def load(self, products: Iterable[Product]) -> None:
        """Lock these products (``FOR UPDATE``, as each service does) and read their histories."""
        wanted = sorted({p for p in products if p not in self._history and p.id is not None}, key=lambda p: p.id)
        for start in range(0, len(wanted), self.CHUNK):             # locked in id order, as other batches lock
            chunk = {p.id: p for p in wanted[start:start + self.CHUNK]}
            db.session.execute(select(Product.id).where(Product.id.in_(chunk)).order_by(Product.id)
                               .with_for_update()).all()
            for product in chunk.values():
                self._history[product] = []
            for recognition in db.session.scalars(
                    select(Recognition).where(Recognition.product_id.in_(chunk))
                    .options(selectinload(Recognition.superseded_by))     # what superseding one changes
                    .execution_options(populate_existing=True)):
                self._history[chunk[recognition.product_id]].append(recognition)

    def history(self, product: Product) -> list[Recognition]:
        """The product's recognitions, those of this batch included (read, and locked, if not yet)."""
        if product not in self._history:
            if product.id is None:                  # new in this transaction: nothing recorded before
                self._history[product] = []
            else:
                self.load([product])
        return self._history[product]

    def record(self, kind: str, product: Product, **decision: Any) -> Recognition:
        """:func:`recognise`, :func:`re_recognise` or :func:`upgrade` (``kind``), not flushed."""
        data = load(_DECISION_INPUT, decision)
        history = self.history(product)
        plan = plan_recognition(kind, product.id, history, data, actor=self.actor, at=clock.now())
        plan.recognition.product = product
        db.session.add(plan.recognition)
        history.append(plan.recognition)
        self._events.extend(plan.events)
        return plan.recognition

    def flush(self) -> None:
        """Write what was recorded: the records first, then their history events (which need their ids).

        The events are rows of the append-only history that nothing follows flush by flush (neither
        audited nor a product change of their own): they are inserted as rows, in one statement."""
        db.session.flush()
        columns = [c.key for c in _EVENTS.columns if c.key != "id"]
        rows = []
        for event in self._events:
            event.product_id, event.recognition_id = event.recognition.product_id, event.recognition.id
            rows.append({key: getattr(event, key) for key in columns})
        self._events = []
        if rows:
            db.session.execute(insert(_EVENTS), rows)
