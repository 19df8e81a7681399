"""PostgreSQL access: connections, the embedded server, migrations, bulk writes, locks.

All SQL that writes the mirror goes through here; other rooms get connections from
`connect`/`make_pool` and never format identifiers themselves.
"""

from clickup_sync.store.bulk import copy_rows, upsert
from clickup_sync.store.db import (
    StoreError,
    aconnect,
    connect,
    make_async_pool,
    make_pool,
    redact,
)
from clickup_sync.store.embedded import EmbeddedPostgres, default_data_dir, resolve_dsn
from clickup_sync.store.locks import (
    advisory_lock,
    advisory_unlock,
    advisory_xact_lock,
    lock_id,
    try_advisory_lock,
)
from clickup_sync.store.migrate import Migration, MigrationError, pending, upgrade

__all__ = [
    "EmbeddedPostgres",
    "Migration",
    "MigrationError",
    "StoreError",
    "aconnect",
    "advisory_lock",
    "advisory_unlock",
    "advisory_xact_lock",
    "connect",
    "copy_rows",
    "default_data_dir",
    "lock_id",
    "make_async_pool",
    "make_pool",
    "pending",
    "redact",
    "resolve_dsn",
    "try_advisory_lock",
    "upgrade",
    "upsert",
]
