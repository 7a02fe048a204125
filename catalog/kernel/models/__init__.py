"""The kernel's tables: places, producers, products, recognitions and their history.

Import from here: ``from catalog.kernel.models import Product``. Features keep
their own tables in their own ``models`` modules.
"""
from catalog.kernel.models.history import EVENT_KINDS, AppendOnlyError, RecognitionEvent
from catalog.kernel.models.producers import PRODUCER_KINDS, Producer
from catalog.kernel.models.products import STANDARDS, Product, ProductImage
from catalog.kernel.models.recognitions import (
    EXPIRED,
    IN_FORCE,
    KIND_FIRST,
    KIND_RE_RECOGNITION,
    KIND_UPGRADE,
    NOT_YET_IN_FORCE,
    REVOKED,
    STATUSES,
    SUPERSEDED,
    Recognition,
)
from catalog.kernel.models.units import Commune, Province

__all__ = [
    "EVENT_KINDS", "AppendOnlyError", "RecognitionEvent", "PRODUCER_KINDS", "Producer", "STANDARDS",
    "Product", "ProductImage", "EXPIRED", "IN_FORCE", "KIND_FIRST", "KIND_RE_RECOGNITION", "KIND_UPGRADE",
    "NOT_YET_IN_FORCE", "REVOKED", "STATUSES", "SUPERSEDED", "Recognition", "Commune", "Province",
]
