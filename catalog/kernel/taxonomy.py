"""The OCOP product taxonomy of Decision 26/2026 (appendix I): 6 sectors, 17 groups, 26 sets.

Sets are numbered 1-26 in the decision's order. Import files and forms may give
a set by its number or its name (with or without diacritics); :func:`resolve_set`
accepts both.
"""
from __future__ import annotations

from dataclasses import dataclass

from catalog.kernel.errors import InvalidInput
from catalog.kernel.i18n import N_, Message
from catalog.kernel.text import fold, is_digits


@dataclass(frozen=True)
class Sector:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    sector: Sector


@dataclass(frozen=True)
class ProductSet:
    number: int
    name: str
    group: Group

    @property
    def sector(self) -> Sector:
        return self.group.sector


FOOD = Sector("food", "Thực phẩm", "Food")
BEVERAGES = Sector("beverages", "Đồ uống", "Beverages")
HERBAL = Sector("herbal", "Dược liệu và sản phẩm từ dược liệu", "Herbal products")
HANDICRAFTS = Sector("handicrafts", "Thủ công mỹ nghệ", "Handicrafts")
ORNAMENTALS = Sector("ornamentals", "Sinh vật cảnh", "Ornamentals")
TOURISM = Sector("tourism", "Dịch vụ du lịch", "Tourism services")
SECTORS: tuple[Sector, ...] = (FOOD, BEVERAGES, HERBAL, HANDICRAFTS, ORNAMENTALS, TOURISM)

_GROUPS_AND_SETS: tuple[tuple[Sector, str, str, tuple[str, ...]], ...] = (
    (FOOD, "1.1", "Thực phẩm tươi sống", ("Rau, củ, quả, hạt tươi", "Thịt, thủy sản, trứng, sữa tươi")),
    (FOOD, "1.2", "Thực phẩm thô, sơ chế", (
        "Gạo, ngũ cốc, hạt sơ chế khác", "Mật ong, mật khác và nông sản thực phẩm khác")),
    (FOOD, "1.3", "Thực phẩm chế biến", (
        "Đồ ăn nhanh", "Chế biến từ gạo, ngũ cốc", "Chế biến từ rau, củ, quả, hạt",
        "Chế biến từ thịt, trứng, sữa, thủy sản")),
    (FOOD, "1.4", "Gia vị", ("Tương, nước mắm, gia vị dạng lỏng khác", "Gia vị khác")),
    (FOOD, "1.5", "Chè", ("Chè tươi, chế biến", "Sản phẩm chè từ thực vật khác")),
    (FOOD, "1.6", "Cà phê, ca cao", ("Cà phê, ca cao",)),
    (BEVERAGES, "2.1", "Đồ uống có cồn", ("Rượu trắng", "Đồ uống có cồn khác")),
    (BEVERAGES, "2.2", "Đồ uống không cồn", (
        "Nước khoáng thiên nhiên, nước uống đóng chai", "Đồ uống không cồn")),
    (HERBAL, "3.1", "Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền", (
        "Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền",)),
    (HERBAL, "3.2", "Mỹ phẩm", ("Mỹ phẩm có thành phần từ dược liệu",)),
    (HERBAL, "3.3", "Tinh dầu và dược liệu khác", ("Tinh dầu và dược liệu khác",)),
    (HANDICRAFTS, "4.1", "Thủ công mỹ nghệ gia dụng, trang trí", ("Thủ công mỹ nghệ gia dụng, trang trí",)),
    (HANDICRAFTS, "4.2", "Vải, may mặc", ("Vải, may mặc",)),
    (ORNAMENTALS, "5.1", "Hoa", ("Hoa",)),
    (ORNAMENTALS, "5.2", "Cây cảnh", ("Cây cảnh",)),
    (ORNAMENTALS, "5.3", "Động vật cảnh", ("Động vật cảnh",)),
    (TOURISM, "6.1", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", (
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",)),
)


def _build() -> tuple[tuple[Group, ...], tuple[ProductSet, ...]]:
    groups: list[Group] = []
    sets: list[ProductSet] = []
    for sector, code, name, set_names in _GROUPS_AND_SETS:
        group = Group(code, name, sector)
        groups.append(group)
        sets.extend(ProductSet(len(sets) + 1, set_name, group) for set_name in set_names)
    return tuple(groups), tuple(sets)


GROUPS, PRODUCT_SETS = _build()
SETS_BY_NUMBER: dict[int, ProductSet] = {s.number: s for s in PRODUCT_SETS}
_SETS_BY_FOLDED_NAME: dict[str, ProductSet] = {fold(s.name): s for s in PRODUCT_SETS}
SECTORS_BY_CODE: dict[str, Sector] = {s.code: s for s in SECTORS}
GROUPS_BY_CODE: dict[str, Group] = {g.code: g for g in GROUPS}


def sets_in_sector(sector_code: str) -> tuple[int, ...]:
    """Set numbers of a sector, for filtering products in SQL."""
    return tuple(s.number for s in PRODUCT_SETS if s.sector.code == sector_code)


def sets_in_group(group_code: str) -> tuple[int, ...]:
    return tuple(s.number for s in PRODUCT_SETS if s.group.code == group_code)


def resolve_set(value: object, field: str = "product_set") -> ProductSet:
    """The product set given by number (1-26, int or text) or by name; else :class:`InvalidInput`."""
    if isinstance(value, ProductSet):
        return value
    text = str(value).strip() if value is not None else ""
    if is_digits(text) and int(text) in SETS_BY_NUMBER:
        return SETS_BY_NUMBER[int(text)]
    found = _SETS_BY_FOLDED_NAME.get(fold(text))
    if found is None:
        raise InvalidInput({field: [Message(
            N_("unknown product set %(value)s: give a number from 1 to %(last)s or a set name of Decision 26/2026"),
            value=repr(text), last=len(PRODUCT_SETS)) if text else Message(
            N_("unknown product set '(empty)': give a number from 1 to %(last)s or a set name of Decision 26/2026"),
            last=len(PRODUCT_SETS))]})
    return found
