"""Producers and products for the demo: names, places, stories, GTINs, standards."""
from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from catalog.kernel import gtin, taxonomy
from catalog.kernel.catalogue import unique_slug
from catalog.kernel.inputs import ProducerInput, ProductInput, load
from catalog.kernel.text import slugify
from catalog_demo import traceability, vinh_tuy
from catalog_demo.histories import Histories, HistoryMaker
from catalog_demo.places import PROVINCE_WEIGHTS
from catalog_demo.vocabulary import (
    BRAND_WORDS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    PRODUCER_TEMPLATES,
    PRODUCT_BASES,
    SECTOR_DESCRIPTIONS,
    SPECIALTIES,
    STANDARD_CHOICES,
    STORY_TEMPLATES,
    VILLAGES,
    packagings_for,
)

KIND_WEIGHTS = (("cooperative", 40), ("enterprise", 28), ("household", 22), ("cooperative_group", 5),
                ("other", 5))
SECTOR_WEIGHTS = {"food": 66, "beverages": 11, "herbal": 11, "handicrafts": 7, "ornamentals": 2, "tourism": 3}
PRODUCTS_PER_PRODUCER = 1.8   # 18,243 products from about 10,000 producers
# 1 + int(X), X exponential with this mean, averages PRODUCTS_PER_PRODUCER.
_EXTRA_PRODUCTS_SCALE = 1 / math.log(1 + 1 / (PRODUCTS_PER_PRODUCER - 1))
_PRODUCER_INPUT, _PRODUCT_INPUT = ProducerInput(), ProductInput()
#: FAMILY_NAMES runs from most to least common (Nguyễn is about a third of people).
_FAMILY_WEIGHTS = [1 / (rank + 1) ** 1.1 for rank in range(len(FAMILY_NAMES))]


@dataclass
class DemoData:
    generated_at: dt.datetime
    communes: list[dict[str, Any]]
    producers: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    histories: Histories = field(default_factory=Histories)
    trace: traceability.TraceData = field(default_factory=traceability.TraceData)


@dataclass
class Province:
    code: str
    name: str
    full_name: str
    communes: list[dict[str, Any]]


class Generator:
    def __init__(self, seed: int, today: dt.date, now: dt.datetime, provinces: list[Province],
                 communes: list[dict[str, Any]]):
        self.rng = random.Random(seed)
        self.contact_rng = random.Random(f"contact-{seed}")    # its own: the rest of the data stays as it was
        self.today, self.now = today, now
        self.provinces = [p for p in provinces if p.communes]
        self.weights = [PROVINCE_WEIGHTS.get(p.code, 1.0) for p in self.provinces]
        self.histories = HistoryMaker(self.rng, today, now)
        self.data = DemoData(generated_at=now, communes=communes, histories=self.histories.histories)
        self._producer_slugs: set[str] = set()
        self._product_slugs: set[str] = set()
        self._product_names: set[str] = set()

    def run(self, n_products: int, tick: Callable[[int], None] = lambda n: None) -> DemoData:
        made = self._vinh_tuy(n_products)
        tick(made)
        while made < n_products:
            producer = self._producer(self.rng.choices(self.provinces, self.weights)[0])
            count = min(n_products - made, 1 + int(self.rng.expovariate(1 / _EXTRA_PRODUCTS_SCALE)))
            for _ in range(count):
                self._product(producer)
            made += count
            tick(count)
        self.data.trace = traceability.build(self.rng, self.now, self.data.products,
                                             self.data.histories.recognitions)
        return self.data

    # -- producers ------------------------------------------------------------------------

    def _producer(self, province: Province, **fixed: Any) -> dict[str, Any]:
        commune = fixed.pop("commune", None) or self.rng.choice(province.communes)
        kind = fixed.get("kind") or self._choose(KIND_WEIGHTS)
        person = self._person()
        name = fixed.get("name") or self._producer_name(kind, person, commune["name"])
        raw = {
            "name": name, "kind": kind, "commune_code": commune["code"], "province_code": province.code,
            "address": fixed.get("address") or self.rng.choice(VILLAGES),
            "registration_number": self._registration(kind),
            "phone": f"0{self.rng.choice((9, 8, 3))}{self.rng.randint(10_000_000, 99_999_999)}",
            "email": None if kind == "household" else f"lienhe{len(self.data.producers) + 1}@ocop-demo.vn",
            "representative": fixed.get("representative") or person,
            **self._contact(kind, name, province, commune),
        }
        row = load(_PRODUCER_INPUT, raw)
        row.update(id=len(self.data.producers) + 1, created_at=self.now, updated_at=self.now,
                   slug=unique_slug(row["name"], self._producer_slugs))
        self._producer_slugs.add(row["slug"])
        row["_province"] = province
        row["_commune"] = commune
        self.data.producers.append(row)
        return row

    def _contact(self, kind: str, name: str, province: Province, commune: dict[str, Any]) -> dict[str, Any]:
        """A website for some producers (made-up addresses under ocop-demo.vn), where to buy for most."""
        rng = self.contact_rng
        website = None
        if kind in ("enterprise", "cooperative") and rng.random() < 0.5:
            website = f"https://{slugify(name, 40)}.ocop-demo.vn"
        places = [f"Điểm giới thiệu và bán sản phẩm OCOP {province.full_name}",
                  f"chợ {commune['name']}", "cửa hàng tại cơ sở sản xuất",
                  "gian hàng trên sàn thương mại điện tử (Shopee, Lazada, Tiki)",
                  "hệ thống siêu thị Co.opmart và WinMart", "Bưu điện Văn hoá xã (postmart.vn)"]
        where = None
        if rng.random() < 0.7:
            where = "; ".join(rng.sample(places, rng.randint(1, 3))) + "."
            where = where[0].upper() + where[1:]
        return {"website": website, "where_to_buy": where}

    def _producer_name(self, kind: str, person: str, place: str) -> str:
        template = self.rng.choice(PRODUCER_TEMPLATES[kind])
        return template.format(brand=self.rng.choice(BRAND_WORDS), person=person, place=place)

    def _registration(self, kind: str) -> str:
        if kind == "household":
            return f"{self.rng.randint(10, 96):02d}A{self.rng.randint(8_000_000, 8_999_999)}"
        return f"{self.rng.randint(100_000_000, 999_999_999):010d}"

    def _person(self) -> str:
        family = self.rng.choices(FAMILY_NAMES, _FAMILY_WEIGHTS)[0]
        return " ".join((family, self.rng.choice(MIDDLE_NAMES), self.rng.choice(GIVEN_NAMES)))

    # -- products -------------------------------------------------------------------------

    def _product(self, producer: dict[str, Any], **fixed: Any) -> dict[str, Any]:
        province: Province = producer["_province"]
        set_number, name, packaging = fixed.get("product_set"), fixed.get("name"), fixed.get("packaging")
        if name is None:
            set_number, name, packaging = self._product_name(producer, province)
        product_set = taxonomy.SETS_BY_NUMBER[set_number]
        sector = product_set.sector.code
        place = producer["_commune"]["name"]
        context = {"product": name, "producer": producer["name"], "place": place, "packaging": packaging,
                   "province": province.full_name, "year": self.rng.randint(1960, 2015),
                   "person": producer["representative"]}
        product_id = len(self.data.products) + 1
        raw = {
            "name": name, "producer_id": producer["id"], "product_set": set_number, "packaging": packaging,
            "description": self.rng.choice(SECTOR_DESCRIPTIONS[sector]).format(**context),
            "story": fixed.get("story") or self.rng.choice(STORY_TEMPLATES).format(**context),
            "gtin": self._gtin(producer["id"], product_id),
            "standards": fixed.get("standards", self._standards(sector)),
        }
        row = load(_PRODUCT_INPUT, raw)
        row["gtin"] = gtin.normalise_gtin(row["gtin"]) if row["gtin"] else None
        row.update(id=product_id, created_at=self.now, updated_at=self.now,
                   slug=unique_slug(name, self._product_slugs))
        self._product_slugs.add(row["slug"])
        self._product_names.add(name)
        self.data.products.append(row)
        self.histories.build(product_id, (province.code, province.full_name), decision=fixed.get("decision"))
        return row

    def _product_name(self, producer: dict[str, Any], province: Province) -> tuple[int, str, str]:
        specialties = SPECIALTIES.get(province.code, ())
        for _ in range(6):
            if specialties and self.rng.random() < 0.45:
                set_number, base, place = self.rng.choice(specialties)
                packaging = self.rng.choice(packagings_for(set_number, base))
                brand = place if self.rng.random() < 0.5 else f"{place} {self.rng.choice(BRAND_WORDS)}"
            else:
                sector = self._choose(tuple(SECTOR_WEIGHTS.items()))
                set_number = self.rng.choice(taxonomy.sets_in_sector(sector))
                base, packagings = self.rng.choice(PRODUCT_BASES[set_number])
                packaging = self.rng.choice(packagings)
                brand = self.rng.choice((self.rng.choice(BRAND_WORDS), producer["_commune"]["name"]))
            name = f"{base} {brand}"
            if self.rng.random() < 0.3:
                name = f"{name} ({packaging})"
            if name not in self._product_names:
                break
        return set_number, name, packaging

    def _gtin(self, producer_id: int, product_id: int) -> str | None:
        """About a third carry a GS1 Vietnam (893) GTIN-13, unique by construction."""
        if self.rng.random() >= 0.33:
            return None
        body = f"893{producer_id % 10_000:04d}{product_id % 100_000:05d}"
        return body + str(gtin.check_digit(body))

    def _standards(self, sector: str) -> list[str]:
        choices = STANDARD_CHOICES[sector]
        return self.rng.sample(choices, k=min(len(choices), self.rng.choice((0, 0, 1, 1, 1, 2))))

    # -- Vĩnh Tuy -------------------------------------------------------------------------

    def _vinh_tuy(self, n_products: int) -> int:
        """The four real products from DOMAIN.md, when there is room for them."""
        if n_products < len(vinh_tuy.PRODUCTS):
            return 0
        province = next(p for p in self.provinces if p.code == vinh_tuy.COMMUNE[2])
        commune = next((c for c in province.communes if c["name"] == vinh_tuy.COMMUNE[1]), province.communes[0])
        producers = {spec["key"]: self._producer(province, commune=commune, **{
            k: v for k, v in spec.items() if k != "key"}) for spec in vinh_tuy.PRODUCERS}
        for spec in vinh_tuy.PRODUCTS:
            decision = {**vinh_tuy.DECISION, "score": spec["score"], "certificate_number": None, "note": None}
            self._product(producers[spec["producer"]], name=spec["name"], product_set=spec["product_set"],
                          packaging=spec["packaging"], standards=spec["standards"],
                          story=vinh_tuy.STORIES[spec["name"]], decision=decision)
        return len(vinh_tuy.PRODUCTS)

    def _choose(self, weighted):
        names, weights = zip(*weighted, strict=False)
        return self.rng.choices(names, weights)[0]
