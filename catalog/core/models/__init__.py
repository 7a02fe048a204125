"""The domain's tables. Import from here: ``from catalog.core.models import Product``."""
from .history import EVENT_KINDS, AppendOnlyError, RecognitionEvent
from .lots import TRACE_EVENT_KINDS, Lot, TraceEvent
from .producers import PRODUCER_KINDS, Producer
from .products import STANDARDS, Product
from .recognitions import (
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
from .scans import VERDICTS, ConsumerReport, Scan
from .stamps import Stamp, StampBatch
from .units import Commune, Province

__all__ = [
    "EVENT_KINDS", "AppendOnlyError", "RecognitionEvent", "PRODUCER_KINDS", "Producer", "STANDARDS",
    "Product", "EXPIRED", "IN_FORCE", "KIND_FIRST", "KIND_RE_RECOGNITION", "KIND_UPGRADE",
    "NOT_YET_IN_FORCE", "REVOKED", "STATUSES", "SUPERSEDED", "Recognition", "Commune", "Province",
    "TRACE_EVENT_KINDS", "Lot", "TraceEvent", "VERDICTS", "ConsumerReport", "Scan", "Stamp", "StampBatch",
]
