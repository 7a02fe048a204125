"""The programme's numbers, in one place (Decision 26/2026/QĐ-TTg).

A new decree changes a line here, and every rule, form, import and surface
follows: nothing else in the code base repeats these figures.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from catalog.kernel.calendar import add_months
from catalog.kernel.i18n import Label

#: (lowest score of the band, stars), highest band first. A score at the
#: lower bound belongs to the band: 90 is 5 stars, 89.99 is 4.
STAR_BANDS: tuple[tuple[Decimal, int], ...] = (
    (Decimal("90"), 5),
    (Decimal("70"), 4),
    (Decimal("50"), 3),
    (Decimal("30"), 2),
    (Decimal("0"), 1),
)
MAX_SCORE = Decimal("100")
#: Fewer stars than this: no decision, no certificate, not an OCOP product.
MIN_RECOGNISED_STARS = 3
#: Stars recognised by the ministry at national level; fewer by the province.
NATIONAL_STARS = 5
#: A recognition lapses this many months after its decision date.
VALIDITY_MONTHS = 36
#: A re-recognition may be decided at most this many days before expiry.
RE_RECOGNITION_WINDOW_DAYS = 180
#: The producer files for re-recognition between these many days before expiry.
RE_RECOGNITION_FILING_DAYS = (180, 120)
#: The lowest score that earns a recognition (where the MIN_RECOGNISED_STARS band starts).
MIN_RECOGNISED_SCORE = min(bound for bound, stars in STAR_BANDS if stars >= MIN_RECOGNISED_STARS)

LEVEL_PROVINCE = "province"
LEVEL_NATIONAL = "national"
LEVELS = (LEVEL_PROVINCE, LEVEL_NATIONAL)

#: The six grounds for revoking a certificate, by the codes used everywhere.
REVOCATION_GROUNDS: dict[str, Label] = {
    "false_dossier": Label("Hồ sơ đánh giá không trung thực, giả mạo", "False or forged dossier"),
    "criteria_not_met": Label("Không còn đáp ứng tiêu chí khi kiểm tra", "No longer meets the criteria (inspection)"),
    "law_violation": Label(
        "Vi phạm pháp luật về chất lượng, an toàn thực phẩm, môi trường, sở hữu trí tuệ, nhãn hàng hóa",
        "Breach of law on quality, food safety, environment, IP or labelling"),
    "mark_misuse": Label("Sử dụng sai biểu trưng OCOP", "Misuse of the OCOP mark"),
    "stopped_production": Label("Ngừng sản xuất", "Production stopped"),
    "other_authority": Label("Theo kết luận của cơ quan có thẩm quyền khác", "Conclusion of another authority"),
}


def stars_for_score(score: Decimal) -> int:
    """Stars earned by a score out of 100."""
    if not Decimal(0) <= score <= MAX_SCORE:
        raise ValueError(f"score {score} is outside 0-100")
    for lowest, stars in STAR_BANDS:
        if score >= lowest:
            return stars
    raise AssertionError("STAR_BANDS must start at 0")  # pragma: no cover


def required_level(stars: int) -> str:
    """The level that recognises a product with this many stars."""
    return LEVEL_NATIONAL if stars >= NATIONAL_STARS else LEVEL_PROVINCE


def valid_until(decision_date: dt.date) -> dt.date:
    """The last day a recognition decided on ``decision_date`` is in force."""
    return add_months(decision_date, VALIDITY_MONTHS)


def earliest_re_recognition(expiry: dt.date) -> dt.date:
    """The earliest decision date for re-recognising a recognition expiring on ``expiry``."""
    return expiry - dt.timedelta(days=RE_RECOGNITION_WINDOW_DAYS)

#: Decisions dated before the programme began (Decision 490/QĐ-TTg, May 2018)
#: or more than this many days ahead are typing errors, not decisions.
PROGRAMME_START = dt.date(2018, 1, 1)
MAX_DAYS_AHEAD = 366


def filing_window_expiries(today: dt.date) -> tuple[dt.date, dt.date]:
    """The expiry dates (both included) of recognitions in the re-recognition filing window
    on ``today``: 180 to 120 days before they expire."""
    far, near = RE_RECOGNITION_FILING_DAYS
    return today + dt.timedelta(days=near), today + dt.timedelta(days=far)
