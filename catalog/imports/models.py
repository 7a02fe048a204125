"""An import in the admin area: the uploaded file's check (the preview) and its application, run as jobs."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from catalog.kernel import clock
from catalog.kernel.db import Model
from catalog.kernel.models.types import UTCDateTime

#: checking: the preview is being made; checked: ready to confirm; problems: rows to fix, nothing written;
#: applying: confirmed, being imported; done: imported. A step that raised keeps its status, with ``error`` set.
RUN_STATUSES = ("checking", "checked", "problems", "applying", "done")
RUNNING = ("checking", "applying")


class ImportRun(Model):
    """One uploaded file, from its check (the preview) to its import."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(20))                 # decisions | revocations
    filename: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(12), default="checking", index=True)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    #: the uploaded file, kept in the database so a worker on any machine can read it; dropped once imported
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # ImportReport.to_dict(): the preview, or the result
    error: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: while a worker runs it; a run still "checking" or "applying" past this was interrupted and is run again
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
