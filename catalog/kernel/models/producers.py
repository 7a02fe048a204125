"""Producers (chủ thể OCOP): cooperatives, enterprises, cooperative groups, households."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.kernel import clock
from catalog.kernel.audited import audited
from catalog.kernel.db import Model
from catalog.kernel.i18n import N_, Label
from catalog.kernel.models.types import UTCDateTime
from catalog.kernel.models.units import Commune, Province

if TYPE_CHECKING:
    from catalog.kernel.models.products import Product

PRODUCER_KINDS: dict[str, Label] = {
    "cooperative": Label("Hợp tác xã", "Cooperative"),
    "enterprise": Label("Doanh nghiệp", "Enterprise"),
    "cooperative_group": Label("Tổ hợp tác", "Cooperative group"),
    "household": Label("Hộ kinh doanh", "Household business"),
    "other": Label("Chủ thể khác", "Other"),
}


@audited(N_("Producer"), lambda v: v.get("name"), page=("records.producer_edit", "producer_id"))
class Producer(Model):
    __tablename__ = "producers"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('cooperative', 'enterprise', 'cooperative_group', 'household', 'other')",
            name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    registration_number: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(300))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("communes.code"), index=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    representative: Mapped[str | None] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(300))          # http(s) only (kernel.inputs.Website)
    where_to_buy: Mapped[str | None] = mapped_column(Text)             # shops, markets, online stores; public
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    commune: Mapped[Commune | None] = relationship()
    province: Mapped[Province] = relationship()
    products: Mapped[list[Product]] = relationship(
        back_populates="producer", order_by="Product.name")

    @property
    def kind_label(self) -> str:
        return PRODUCER_KINDS[self.kind].vi

    def __repr__(self) -> str:
        return f"<Producer {self.id} {self.name}>"
