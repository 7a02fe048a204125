"""Importing a provincial decision's list of recognised products, or a decision revoking many at once.

Every row is checked first (every problem collected as line, column, problem),
then the rows are applied through the core's services (producers and products
matched by their folded names, else created; a first recognition, re-recognition
or upgrade, or a revocation) inside a SAVEPOINT. Any bad row, checked or refused
by the core, rolls the savepoint back: a file imports whole or not at all. A dry
run does the same work and always rolls back, so its report is the preview.
The importer never commits; its callers do (:func:`catalog.platform.transaction.commit`).

Decisions are applied in one batch: what rows may match (producers by the names
the file gives, their products, those products' histories, locked) is read in a
few queries first; each row is then checked by the core's batch services
(:class:`catalog.kernel.catalogue.NewRecords`, :class:`catalog.kernel.recognitions.Decisions`)
against that and against the rows before it, and everything is written by one
flush at the end, only when no row has a problem and it is not a dry run: every
check is made before anything is written, so the preview makes them all and
writes nothing (on SQLite it never takes the write lock).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select

from catalog.imports import communes
from catalog.imports.reading import (  # noqa: F401  (the importer's whole interface, for the CLI and the admin area)
    DECISION_COLUMNS,
    DECISION_REQUIRED,
    EXTENSIONS,
    MAX_BYTES,
    REVOCATION_COLUMNS,
    REVOCATION_REQUIRED,
    Problem,
    Table,
    check_decision,
    check_revocation,
    check_rows,
    extension,
    read_decisions,
    read_revocations,
    sniff,
)
from catalog.imports.report import COUNTS, CommuneAdded, ImportReport, RowResult  # noqa: F401  (part of the interface)
from catalog.kernel import calendar, catalogue, clock, lifecycle, programme, recognitions, units, visibility
from catalog.kernel.db import db
from catalog.kernel.errors import DomainError, InvalidInput
from catalog.kernel.i18n import N_, Message
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import (
    EXPIRED,
    KIND_FIRST,
    KIND_RE_RECOGNITION,
    KIND_UPGRADE,
    NOT_YET_IN_FORCE,
    REVOKED,
    Recognition,
)
from catalog.kernel.models.units import Commune
from catalog.kernel.text import fold

#: Core field -> file column, for the core's refusals.
_PRODUCER_FIELDS = {"name": "producer_name", "kind": "producer_kind", "commune_code": "commune",
                    "province_code": "province"}
_PRODUCT_FIELDS = {"name": "product_name", "producer_id": "producer_name"}
_DECISION_FIELDS = {"product": "product_name"}
_REVOCATION_FIELDS = {"revoked_on": "decision_date", "product": "product_name", "status": "-"}

Progress = Callable[[int], None]


def import_decisions(table: Table, *, actor: str, dry_run: bool = False, progress: Progress | None = None,
                     check_progress: Progress | None = None) -> ImportReport:
    """Record the recognitions a decision lists; all or nothing.

    ``check_progress`` is called with 1 for each row checked, then ``progress`` with 1 for each row applied."""
    report = ImportReport("decisions", dry_run)
    checked = _check_rows(table, report, check_decision, check_progress)
    return _apply(report, checked, _Decisions(report, actor), progress)


def import_revocations(table: Table, *, actor: str, dry_run: bool = False, progress: Progress | None = None,
                       check_progress: Progress | None = None) -> ImportReport:
    """Revoke the recognitions in force of the products a revocation decision lists; all or nothing.

    ``check_progress`` is called with 1 for each row checked, then ``progress`` with 1 for each row applied."""
    report = ImportReport("revocations", dry_run)
    checked = _check_rows(table, report, check_revocation, check_progress)
    return _apply(report, checked, _Revocations(report, actor), progress)


def _check_rows(table: Table, report: ImportReport, check, progress: Progress | None,
                ) -> list[tuple[int, dict[str, Any] | None]]:
    checked, problems = check_rows(table, check, progress)
    report.problems.extend(problems)
    report.counts["rows"] = len(table.rows)
    return checked


# --- applying, inside a savepoint -------------------------------------------------------------

class _Run(Protocol):
    def prepare(self, rows: Sequence[dict[str, Any]]) -> None: ...
    def apply(self, line: int, row: dict[str, Any]) -> None: ...
    def finish(self) -> None: ...


def _apply(report: ImportReport, checked: list[tuple[int, dict[str, Any] | None]], run: _Run,
           progress: Progress | None) -> ImportReport:
    savepoint = db.session.begin_nested()
    try:
        with db.session.no_autoflush:               # the services flush when they must; queries need not
            run.prepare([row for _, row in checked if row is not None])
            for line, row in checked:
                if row is not None:
                    run.apply(line, row)
                if progress:
                    progress(1)
        if not report.problems and not report.dry_run:
            run.finish()                            # every check is made: write what they allowed
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    if report.problems or report.dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    report.problems.sort(key=lambda p: p.line)
    return report


def _refused(report: ImportReport, line: int, exc: DomainError, columns: dict[str, str], default: str) -> None:
    for name, messages in exc.errors.items():
        column = columns.get(name, name) if name != "_" else default
        report.problems.extend(Problem(line, column, m) for m in messages)


class _Decisions:
    def __init__(self, report: ImportReport, actor: str):
        self.report, self.now = report, clock.now()
        self.records = catalogue.NewRecords()
        self.decisions = recognitions.Decisions(actor)
        self.communes: dict[str, dict[str, list[Commune]]] = {}     # province -> folded name -> communes
        self.provisional: set[str] | None = None                    # codes of the communes added by hand or import
        self.producers: dict[str, dict[str, list[Producer]]] = {}   # province -> folded name -> producers
        self.products: dict[Producer, dict[str, list[Product]]] = {}  # producer -> folded name -> products
        self.fold = _Folded()
        self.seen: dict[str, set[Producer | Product]] = {"producers_created": set(), "producers_matched": set(),
                                                          "products_created": set(), "products_matched": set()}

    def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        """Read what the rows may match, in a few queries: the producers of their provinces named as a row
        names one, the products of those producers, and the histories (locked) of those a row names."""
        named: dict[str, set[str]] = {}
        wanted: set[tuple[str, str, str]] = set()
        for row in rows:
            producer_name = self.fold(row["producer_name"])
            named.setdefault(row["province"], set()).add(producer_name)
            wanted.add((row["province"], producer_name, self.fold(row["name"])))
        ids = [pid for pid, name, province in db.session.execute(
            select(Producer.id, Producer.name, Producer.province_code)
            .where(Producer.province_code.in_(sorted(named)))) if self.fold(name) in named[province]]
        for province in named:
            self.producers[province] = {}
        matched: list[Product] = []
        for chunk in _chunks(ids):
            producers = {p.id: p for p in db.session.scalars(select(Producer).where(Producer.id.in_(chunk)))}
            for producer in producers.values():
                self.producers[producer.province_code].setdefault(self.fold(producer.name), []).append(producer)
                self.products[producer] = {}
            for product in db.session.scalars(select(Product).where(Product.producer_id.in_(chunk))):
                producer = producers[product.producer_id]
                name = self.fold(product.name)
                self.products[producer].setdefault(name, []).append(product)
                if (producer.province_code, self.fold(producer.name), name) in wanted:
                    matched.append(product)
        self.decisions.load(matched)

    def apply(self, line: int, row: dict[str, Any]) -> None:
        result = RowResult(line, row["name"], row["producer_name"], decision_number=row["decision_number"],
                           decision_date=row["decision_date"])
        try:
            commune = self._commune(line, row)
            result.commune = commune.full_name if commune else None
            producer = self._producer(line, row, commune, result)
            if producer is None:
                return
            product = self._product(line, row, producer, result)
            if product is None:
                return
            self._decide(line, row, product, result)
        except _Skip:
            return
        self.report.rows.append(result)

    def finish(self) -> None:
        self.decisions.flush()

    def _commune(self, line: int, row: dict[str, Any]) -> Commune | None:
        if not row["commune"]:
            return None
        province = row["province"]
        known = self.communes.get(province)
        if known is None:
            known = self.communes[province] = {}
            for commune in db.session.scalars(select(Commune).where(Commune.province_code == province)):
                known.setdefault(self.fold(commune.name), []).append(commune)
        # What the name means is read with its diacritics (communes.split_kind); folding only finds it.
        bare, kind = communes.split_kind(row["commune"])
        matches = communes.same_name([c for c in known.get(self.fold(bare), [])
                                      if kind in (None, units.TOWN) or c.kind == kind], bare) \
            or communes.same_name(known.get(self.fold(row["commune"]), []), row["commune"])
        if matches:
            return matches[0]
        if self.provisional is None:
            self.provisional = communes.provisional_codes()
        try:
            added = communes.add_commune(row["commune"], province, taken=self.provisional)
        except InvalidInput as exc:
            _refused(self.report, line, exc, {"name": "commune", "kind": "commune", "code": "commune"}, "commune")
            raise _Skip from None
        known.setdefault(self.fold(added.name), []).append(added)
        self.report.counts["communes_added"] += 1
        self.report.warnings.append(CommuneAdded(line, added.full_name, units.provinces()[province].name, added.code))
        return added

    def _producer(self, line: int, row: dict[str, Any], commune: Commune | None, result: RowResult) -> Producer | None:
        province = row["province"]
        index = self.producers.setdefault(province, {})
        found = index.get(self.fold(row["producer_name"]), [])
        if len(found) > 1 and commune is not None:
            found = [p for p in found if p.commune_code == commune.code] or found
        if len(found) > 1:
            self.report.problems.append(Problem(line, "producer_name", Message(
                N_("%(name)s matches %(count)s producers in %(province)s (ids %(ids)s): rename or merge them in "
                   "the admin area, then import again"), **_matches(row["producer_name"], [p.id for p in found]),
                province=units.provinces()[province].name)))
            return None
        if found:
            producer = found[0]
            self._count("producers", producer, created=False)
            result.producer = "matched"
            return producer
        try:
            producer = self.records.producer(name=row["producer_name"], kind=row["kind"], province_code=province,
                                             commune=commune)
        except DomainError as exc:
            _refused(self.report, line, exc, _PRODUCER_FIELDS, "producer_name")
            raise _Skip from None
        index.setdefault(self.fold(producer.name), []).append(producer)
        self.products[producer] = {}
        self._count("producers", producer, created=True)
        result.producer = "created"
        return producer

    def _product(self, line: int, row: dict[str, Any], producer: Producer, result: RowResult) -> Product | None:
        index = self.products.get(producer)
        if index is None:                           # not read by prepare (it reads all a row can name)
            index = self.products[producer] = {}
            for product in db.session.scalars(select(Product).where(Product.producer_id == producer.id)):
                index.setdefault(self.fold(product.name), []).append(product)
        found = index.get(self.fold(row["name"]), [])
        if len(found) > 1:
            self.report.problems.append(Problem(line, "product_name", Message(
                N_("%(name)s matches %(count)s products of %(producer)s (ids %(ids)s): rename or merge them in "
                   "the admin area, then import again"), **_matches(row["name"], [p.id for p in found]),
                producer=producer.name)))
            return None
        if found:
            product = found[0]
            self._count("products", product, created=False)
            result.product = "matched"
            return product
        try:
            product = self.records.product(
                producer, name=row["name"], product_set=row["product_set"], packaging=row["packaging"],
                description=row["description"], gtin=row["gtin"])
        except DomainError as exc:
            _refused(self.report, line, exc, _PRODUCT_FIELDS, "product_name")
            raise _Skip from None
        index.setdefault(self.fold(product.name), []).append(product)
        self._count("products", product, created=True)
        result.product = "created"
        return product

    def _decide(self, line: int, row: dict[str, Any], product: Product, result: RowResult) -> None:
        history = self.decisions.history(product)
        same = next((r for r in history if r.decision_number == row["decision_number"]
                     and r.decision_date == row["decision_date"]), None)
        if same is not None:
            result.action, result.stars, result.valid_until = "already_recorded", same.stars, same.valid_until
            result.status = same.status_at(self.now)
            self.report.counts["already_recorded"] += 1
            return
        kind = choose_kind(history, row["score"], row["decision_date"])
        decision = {name: row[name] for name in ("score", "level", "authority", "decision_number", "decision_date")}
        try:
            made = self.decisions.record(kind, product, **decision)
        except DomainError as exc:
            _refused(self.report, line, exc, _DECISION_FIELDS, "decision_number")
            raise _Skip from None
        result.action, result.stars, result.valid_until = kind, made.stars, made.valid_until
        result.status = made.status_at(self.now)
        self.report.counts[kind] += 1
        if result.status == EXPIRED:
            self.report.counts["expired_on_arrival"] += 1
        elif result.status == NOT_YET_IN_FORCE:
            self.report.counts["not_yet_in_force"] += 1

    def _count(self, what: str, record: Producer | Product, *, created: bool) -> None:
        created_records, matched_records = self.seen[f"{what}_created"], self.seen[f"{what}_matched"]
        if created:
            created_records.add(record)
        elif record not in created_records:
            matched_records.add(record)
        self.report.counts[f"{what}_created"] = len(created_records)
        self.report.counts[f"{what}_matched"] = len(matched_records)


class _Folded(dict[str, str]):
    """:func:`~catalog.kernel.text.fold` remembered for one import, called as ``fold(text)``: a file names
    the same producers, products and communes again and again."""

    def __call__(self, text: str) -> str:
        folded = self.get(text)
        if folded is None:
            folded = self[text] = fold(text)
        return folded


class _Skip(Exception):
    """A row already reported as bad: stop applying it."""


def choose_kind(history: Iterable[Recognition], score: Decimal, decision_date: dt.date) -> str:
    """The step a decision is for a product with this ``history``: first (never recognised, or the latest
    was revoked), upgrade (more stars than the recognition in force on its date), else re-recognition."""
    previous = lifecycle.head(list(history))
    if previous is None or previous.is_revoked:
        return KIND_FIRST
    stars = programme.stars_for_score(score)
    if previous.in_force_at(calendar.start_of_day(decision_date)) and stars > previous.stars:
        return KIND_UPGRADE
    return KIND_RE_RECOGNITION


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _matches(name: str, ids: list[int]) -> dict[str, Any]:
    """The values of a problem naming the records a name matches (the first five ids)."""
    return {"name": repr(name), "count": len(ids), "ids": ", ".join(str(i) for i in sorted(ids)[:5])}


class _Revocations:
    """Row by row: each revocation is written (and flushed) by :func:`catalog.kernel.recognitions.revoke`."""

    def __init__(self, report: ImportReport, actor: str):
        self.report, self.actor, self.now = report, actor, clock.now()
        self.producers: dict[str, list[int]] | None = None

    def prepare(self, rows: Sequence[dict[str, Any]]) -> None:
        pass

    def finish(self) -> None:
        pass

    def apply(self, line: int, row: dict[str, Any]) -> None:
        result = RowResult(line, row["product_name"], row["producer_name"], action="revoked",
                           decision_number=row["decision_number"], decision_date=row["revoked_on"])
        product = self._product(line, row)
        if product is None:
            return
        in_force = visibility.recognition_in_force(product, self.now)
        if in_force is None:
            self.report.problems.append(Problem(line, "product_name", _not_in_force(product, self.now)))
            return
        decision = {name: row[name] for name in ("decision_number", "revoked_on", "authority", "ground", "reason")}
        try:
            recognitions.revoke(in_force, actor=self.actor, **decision)
        except DomainError as exc:
            _refused(self.report, line, exc, _REVOCATION_FIELDS, "-")
            return
        result.recognition, result.stars, result.valid_until = in_force.decision_number, in_force.stars, \
            in_force.valid_until
        result.status = REVOKED
        result.producer = result.product = "matched"
        self.report.counts["revoked"] += 1
        self.report.rows.append(result)

    def _product(self, line: int, row: dict[str, Any]) -> Product | None:
        if self.producers is None:
            self.producers = {}
            for pid, name in db.session.execute(select(Producer.id, Producer.name)):
                self.producers.setdefault(fold(name), []).append(pid)
        producer_ids = self.producers.get(fold(row["producer_name"]), [])
        if not producer_ids:
            self.report.problems.append(Problem(line, "producer_name", Message(
                N_("no producer is named %(name)s"), name=repr(row["producer_name"]))))
            return None
        wanted = fold(row["product_name"])
        matches = [p for p in db.session.scalars(select(Product).where(Product.producer_id.in_(producer_ids)))
                   if fold(p.name) == wanted]
        if not matches:
            self.report.problems.append(Problem(line, "product_name", Message(
                N_("%(producer)s has no product named %(name)s"), producer=row["producer_name"],
                name=repr(row["product_name"]))))
            return None
        if len(matches) > 1:
            self.report.problems.append(Problem(line, "product_name", Message(
                N_("%(name)s matches %(count)s products of producers named %(producer)s (ids %(ids)s): rename or "
                   "merge them in the admin area, then import again"),
                **_matches(row["product_name"], [p.id for p in matches]), producer=row["producer_name"])))
            return None
        return matches[0]


def _not_in_force(product: Product, at: dt.datetime) -> Message:
    status = visibility.explain(product, at)
    latest = status.recognition
    name = repr(product.name)
    if latest is None:
        return Message(N_("%(name)s has never been recognised: there is nothing to revoke"), name=name)
    if status.reason == REVOKED:
        return Message(N_("%(name)s is not in force: recognition %(number)s was already revoked on %(date)s by "
                          "decision %(decision)s"), name=name, number=latest.decision_number,
                       date=latest.revoked_on, decision=latest.revocation_decision)
    if status.reason == NOT_YET_IN_FORCE:
        return Message(N_("%(name)s is not in force yet: recognition %(number)s takes effect on %(date)s"),
                       name=name, number=latest.decision_number, date=latest.decision_date)
    return Message(N_("%(name)s is not in force: recognition %(number)s expired on %(date)s; only a recognition in "
                      "force can be revoked"), name=name, number=latest.decision_number, date=latest.valid_until)
