"""Recognition histories for demo products, built with the core's lifecycle rules.

Each product draws a scenario (in force, lapsed, re-recognised, upgraded,
revoked) and its stars; the decisions are then planned one by one with
:func:`catalog.kernel.lifecycle.plan_recognition` and ``plan_revocation``, exactly
as the services would, so a refused step is a bug in this file, not bad data.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.kernel import calendar, programme
from catalog.kernel.lifecycle import plan_recognition, plan_revocation
from catalog.kernel.models.history import RecognitionEvent
from catalog.kernel.models.recognitions import KIND_FIRST, KIND_RE_RECOGNITION, KIND_UPGRADE, Recognition

ACTOR = "demo-data"
MINISTRY = "Bộ Nông nghiệp và Môi trường"

#: (scenario, weight). Proportions loosely follow the plans: most products in
#: force, lapses common, revocations a few percent.
SCENARIOS = (("in_force", 61), ("lapsed", 13), ("re_recognised", 13), ("upgraded", 7), ("revoked", 6))

GROUND_WEIGHTS = (("stopped_production", 40), ("criteria_not_met", 20), ("mark_misuse", 10),
                  ("law_violation", 12), ("false_dossier", 5), ("other_authority", 13))
REASONS = {
    "stopped_production": "Chủ thể đã ngừng sản xuất sản phẩm, không tham gia đánh giá lại.",
    "criteria_not_met": "Kiểm tra sau công nhận: sản phẩm không còn đáp ứng tiêu chí về chất lượng.",
    "mark_misuse": "Sử dụng biểu trưng OCOP trên sản phẩm chưa được công nhận.",
    "law_violation": "Vi phạm quy định về nhãn hàng hóa và an toàn thực phẩm.",
    "false_dossier": "Hồ sơ đề nghị đánh giá có tài liệu không trung thực.",
    "other_authority": "Theo kết luận thanh tra của Sở Khoa học và Công nghệ.",
}


@dataclass
class Histories:
    """Recognitions and their events, with ids assigned, ready to insert."""

    recognitions: list[Recognition] = field(default_factory=list)
    events: list[RecognitionEvent] = field(default_factory=list)

    def record(self, recognition: Recognition, events: list[RecognitionEvent]) -> None:
        if recognition.id is None:
            recognition.id = len(self.recognitions) + 1
            self.recognitions.append(recognition)
        for event in events:
            event.id = len(self.events) + 1
            event.recognition_id = event.recognition.id
            self.events.append(event)


class HistoryMaker:
    def __init__(self, rng: random.Random, today: dt.date, now: dt.datetime):
        self.rng, self.today, self.now = rng, today, now
        self._numbers: dict[tuple[str, int, int, str], str] = {}
        self.histories = Histories()

    def target_stars(self) -> int:
        """About 76% 3 stars, 23% 4 stars, 1% 5 stars (December 2025 figures)."""
        draw = self.rng.random()
        return 5 if draw < 0.01 else 4 if draw < 0.24 else 3

    def build(self, product_id: int, province: tuple[str, str], stars: int | None = None,
              scenario: str | None = None, decision: dict | None = None) -> None:
        """Plan and record one product's history. ``province`` is (code, full name)."""
        stars = stars or self.target_stars()
        scenario = scenario or self._choose(SCENARIOS)
        history: list[Recognition] = []
        if decision is not None:
            self._plan(KIND_FIRST, product_id, history, decision)
            return
        months, valid = self._months_ago, programme.VALIDITY_MONTHS
        if scenario == "lapsed":
            self._plan(KIND_FIRST, product_id, history,
                       self._decision(province, stars, months(valid + 1, valid + 14)))
        elif scenario == "re_recognised":
            first = self._plan(KIND_FIRST, product_id, history,
                               self._decision(province, self.rng.choice((3, 3, stars)), months(valid + 3, valid + 22)))
            earliest = programme.earliest_re_recognition(first.valid_until) + dt.timedelta(days=5)
            latest = min(first.valid_until + dt.timedelta(days=75), self.today - dt.timedelta(days=3))
            self._plan(KIND_RE_RECOGNITION, product_id, history,
                       self._decision(province, stars, self._between(earliest, latest)))
        elif scenario == "upgraded" and stars > programme.MIN_RECOGNISED_STARS:
            first = self._plan(KIND_FIRST, product_id, history,
                               self._decision(province, stars - 1, months(14, valid - 2)))
            upgraded_on = self._between(first.decision_date + dt.timedelta(days=200),
                                        self.today - dt.timedelta(days=5))
            self._plan(KIND_UPGRADE, product_id, history, self._decision(province, stars, upgraded_on))
        elif scenario == "revoked":
            first = self._plan(KIND_FIRST, product_id, history, self._decision(province, stars, months(4, valid - 3)))
            revoked_on = self._between(first.decision_date + dt.timedelta(days=60), self.today)
            ground = self._choose(GROUND_WEIGHTS)
            events = plan_revocation(first, {
                "decision_number": self._number(province[0], revoked_on, "QĐ-UBND"),
                "revoked_on": revoked_on, "authority": f"Chủ tịch UBND {_lower_first(province[1])}", "ground": ground,
                "reason": REASONS[ground]}, actor=ACTOR, at=self.now)
            self.histories.record(first, events)
        else:
            self._plan(KIND_FIRST, product_id, history, self._decision(province, stars, months(0, valid - 1)))

    def _plan(self, kind: str, product_id: int, history: list[Recognition], decision: dict) -> Recognition:
        plan = plan_recognition(kind, product_id, history, decision, actor=ACTOR, at=self.now)
        plan.recognition.created_at = self.now
        self.histories.record(plan.recognition, plan.events)
        history.append(plan.recognition)
        return plan.recognition

    def _decision(self, province: tuple[str, str], stars: int, decided: dt.date) -> dict:
        national = stars == programme.NATIONAL_STARS
        return {
            "score": self._score(stars), "level": programme.required_level(stars),
            "authority": MINISTRY if national else f"UBND {_lower_first(province[1])}",
            "decision_number": self._number("00" if national else province[0], decided,
                                            "QĐ-BNNMT" if national else "QĐ-UBND"),
            "decision_date": decided, "certificate_number": None, "note": None,
        }

    def _score(self, stars: int) -> Decimal:
        """A score inside the band of ``stars``, in half points."""
        low = next(b for b, s in programme.STAR_BANDS if s == stars)
        higher = [b for b, s in programme.STAR_BANDS if s == stars + 1]
        high = higher[0] - Decimal("0.5") if higher else programme.MAX_SCORE
        return (low + (high - low) * Decimal(self.rng.randint(0, 100)) / 100).quantize(Decimal("0.5"))

    def _number(self, province_code: str, day: dt.date, suffix: str) -> str:
        """One decision number per authority and month: a round's decision lists many products."""
        key = (province_code, day.year, day.month, suffix)
        if key not in self._numbers:
            self._numbers[key] = f"{self.rng.randint(100, 3999)}/{suffix}"
        return self._numbers[key]

    def _months_ago(self, low: int, high: int) -> dt.date:
        return self._between(calendar.add_months(self.today, -high), calendar.add_months(self.today, -low))

    def _between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def _choose(self, weighted):
        names, weights = zip(*weighted, strict=False)
        return self.rng.choices(names, weights)[0]


def _lower_first(name: str) -> str:
    """"Tỉnh Nghệ An" -> "tỉnh Nghệ An", as it reads inside "UBND tỉnh Nghệ An"."""
    return name[:1].lower() + name[1:]
