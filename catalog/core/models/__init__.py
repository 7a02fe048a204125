"""The domain's tables. Import from here: ``from catalog.core.models import Product``."""
from .accounts import ROLES, User
from .audit import AUDIT_ACTIONS, AuditEntry
from .feed import DELISTING_REASONS, FEED_KINDS, FeedEvent, FeedHead, FeedState
from .history import EVENT_KINDS, AppendOnlyError, RecognitionEvent
from .lots import TRACE_EVENT_KINDS, Lot, TraceEvent
from .partners import DELIVERY_STATUSES, ApiKey, Partner, WebhookDelivery
from .producers import PRODUCER_KINDS, Producer
from .products import STANDARDS, Product, ProductImage
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
from .scans import REPORT_STATUSES, VERDICTS, ConsumerReport, Scan
from .stamps import Stamp, StampBatch
from .units import Commune, Province
from .violations import VIOLATION_CATEGORIES, VIOLATION_STATUSES, Violation, ViolationEvidence

__all__ = [
    "EVENT_KINDS", "AppendOnlyError", "RecognitionEvent", "PRODUCER_KINDS", "Producer", "STANDARDS",
    "Product", "EXPIRED", "IN_FORCE", "KIND_FIRST", "KIND_RE_RECOGNITION", "KIND_UPGRADE",
    "NOT_YET_IN_FORCE", "REVOKED", "STATUSES", "SUPERSEDED", "Recognition", "Commune", "Province",
    "TRACE_EVENT_KINDS", "Lot", "TraceEvent", "VERDICTS", "ConsumerReport", "Scan", "Stamp", "StampBatch",
    "ROLES", "User", "REPORT_STATUSES", "VIOLATION_CATEGORIES", "VIOLATION_STATUSES", "Violation",
    "ViolationEvidence", "ProductImage", "DELISTING_REASONS", "FEED_KINDS", "FeedEvent", "FeedHead", "FeedState",
    "DELIVERY_STATUSES", "ApiKey", "Partner", "WebhookDelivery", "AUDIT_ACTIONS", "AuditEntry",
]
