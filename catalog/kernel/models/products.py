"""Products: what a producer makes and the programme recognises."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.kernel import clock
from catalog.kernel.audited import audited
from catalog.kernel.db import db
from catalog.kernel.i18n import N_
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.types import UTCDateTime
from catalog.kernel.taxonomy import SETS_BY_NUMBER, ProductSet

if TYPE_CHECKING:
    from catalog.kernel.models.recognitions import Recognition

#: Production standards a product or lot may declare, by code.
STANDARDS: dict[str, str] = {
    "vietgap": "VietGAP",
    "globalgap": "GlobalGAP",
    "haccp": "HACCP",
    "iso22000": "ISO 22000",
    "iso9001": "ISO 9001",
    "gmp": "GMP",
    "organic": "Hữu cơ (TCVN 11041)",
    "fssc22000": "FSSC 22000",
    "brc": "BRCGS",
    "tcvn": "TCVN công bố áp dụng",
}


def standard_labels(codes: list[str] | None) -> list[str]:
    """Standard codes as people write them: ``vietgap`` -> ``VietGAP``."""
    return [STANDARDS.get(code, code) for code in codes or ()]


@audited(N_("Product"), lambda v: v.get("name"), page=("records.product", "product_id"))
class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("product_set BETWEEN 1 AND 26", name="product_set_range"),
        CheckConstraint("gtin IS NULL OR length(gtin) = 14", name="gtin_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    product_set: Mapped[int] = mapped_column(SmallInteger, index=True)
    packaging: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    story: Mapped[str | None] = mapped_column(Text)
    gtin: Mapped[str | None] = mapped_column(String(14), unique=True)
    standards: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    producer: Mapped[Producer] = relationship(back_populates="products")
    recognitions: Mapped[list[Recognition]] = relationship(
        back_populates="product", order_by="Recognition.starts_at")
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product", order_by="(ProductImage.position, ProductImage.id)")

    @property
    def set_info(self) -> ProductSet:
        """The product set with its group and sector."""
        return SETS_BY_NUMBER[self.product_set]

    @property
    def standard_labels(self) -> list[str]:
        return standard_labels(self.standards)

    def __repr__(self) -> str:
        return f"<Product {self.id} {self.slug}>"


@audited(N_("Product photo"), lambda v: v.get("filename"), page=("records.product", "product_id"),
         parent="product_id")
class ProductImage(db.Model):
    """A photo of a product, re-encoded by us: the full image (at most 1600 px) and a thumbnail."""

    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    filename: Mapped[str] = mapped_column(String(100), unique=True)     # <hex>.jpg under uploads/products
    thumbnail: Mapped[str] = mapped_column(String(100))                  # <hex>-t.jpg, same folder
    width: Mapped[int] = mapped_column(SmallInteger)
    height: Mapped[int] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(SmallInteger, default=0)       # 0 is the main photo
    alt: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    product: Mapped[Product] = relationship(back_populates="images")
