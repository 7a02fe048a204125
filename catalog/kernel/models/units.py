"""Administrative units in force since 1 July 2025: 34 provinces and cities, ~3,300 communes and wards."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.kernel.audited import audited
from catalog.kernel.db import Model
from catalog.kernel.i18n import N_

PROVINCE_KINDS = ("city", "province")
COMMUNE_KINDS = ("xa", "phuong", "dac_khu")
_COMMUNE_PREFIX = {"xa": "Xã", "phuong": "Phường", "dac_khu": "Đặc khu"}


def commune_full_name(name: str, kind: str) -> str:
    """``Xã Vĩnh Tuy``, ``Phường Ba Đình``, ``Đặc khu Phú Quốc``."""
    prefix = _COMMUNE_PREFIX.get(kind)
    return f"{prefix} {name}" if prefix else name


class Province(Model):
    __tablename__ = "provinces"
    __table_args__ = (
        CheckConstraint("kind IN ('city', 'province')", name="kind"),
        CheckConstraint("length(code) = 2", name="code_length"),
    )

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    slug: Mapped[str] = mapped_column(String(100), unique=True)

    communes: Mapped[list[Commune]] = relationship(back_populates="province", order_by="Commune.name")

    @property
    def full_name(self) -> str:
        if self.kind == "city":
            return self.name if self.name.startswith("Thành phố") else f"Thành phố {self.name}"
        return f"Tỉnh {self.name}"

    def __repr__(self) -> str:
        return f"<Province {self.code} {self.name}>"


@audited(N_("Commune"), lambda v: v.get("name"))
class Commune(Model):
    __tablename__ = "communes"
    __table_args__ = (
        CheckConstraint("kind IN ('xa', 'phuong', 'dac_khu')", name="kind"),
        CheckConstraint("length(code) = 5", name="code_length"),
    )

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)

    province: Mapped[Province] = relationship(back_populates="communes")

    @property
    def full_name(self) -> str:
        return commune_full_name(self.name, self.kind)

    def __repr__(self) -> str:
        return f"<Commune {self.code} {self.name}>"
