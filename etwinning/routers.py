"""Database routing: partner-search reads on a read replica, when one is configured.

Set DATABASE_REPLICA_URL (a streaming replica of the primary) and the settings add a
"replica" database and this router. Search is read-only, the most requested page and the
heaviest query; a few seconds of replication lag are invisible in it. Everything else,
including every write, stays on the primary ("default").
"""

from __future__ import annotations

from django.db.models import Model

REPLICA = "replica"

# (app_label, model_name) of the models whose reads may come from the replica.
REPLICA_READS = frozenset({("projects", "partnersearchentry")})


class SearchReplicaRouter:
    def db_for_read(self, model: type[Model], **hints) -> str | None:
        if (model._meta.app_label, model._meta.model_name) in REPLICA_READS:
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints) -> str | None:
        return None  # the primary

    def allow_relation(self, obj1: Model, obj2: Model, **hints) -> bool | None:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        return db != REPLICA  # the replica follows the primary's schema by replication
