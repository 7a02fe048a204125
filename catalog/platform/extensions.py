"""Flask extensions of the platform, created unbound and initialised by :func:`catalog.create_app`."""
from __future__ import annotations

from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

#: Schema objects that only migrations describe (features add theirs, e.g. search's FTS5 tables):
#: Alembic's comparison of models and database leaves them out.
MIGRATION_ONLY_TABLE_PREFIXES: set[str] = set()
MIGRATION_ONLY_COLUMNS: set[tuple[str, str]] = set()
MIGRATION_ONLY_INDEXES: set[str] = set()


def include_name(name, type_, parent_names) -> bool:
    """What Alembic compares: everything but the objects registered above."""
    if type_ == "table" and name and name.startswith(tuple(MIGRATION_ONLY_TABLE_PREFIXES)):
        return False
    if type_ == "column" and (parent_names.get("table_name"), name) in MIGRATION_ONLY_COLUMNS:
        return False
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


migrate = Migrate(include_name=include_name)
csrf = CSRFProtect()
