"""audit trail: hash chain and append-only triggers

Revision ID: 0080
Revises: 0070
Create Date: 2026-12-02 09:00:00

Existing events are hashed in id order (``planner.db.audit_chain``); then the
database itself refuses to change or delete an event. A later migration that
rebuilds ``audit_event`` (SQLite batch mode copies the table) must create the
triggers again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from planner.db.audit_chain import GENESIS, event_hash

revision: str = "0080"
down_revision: str | None = "0070"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN "
    "SELECT RAISE(ABORT, 'the audit trail is append-only: an event cannot be changed'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN "
    "SELECT RAISE(ABORT, 'the audit trail is append-only: an event cannot be deleted'); END",
)
_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
    "'the audit trail is append-only: an event cannot be changed or deleted'; END $$"
)
_PG_TRIGGERS = (
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
)


def _events() -> sa.TableClause:
    return sa.table(
        "audit_event",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("user", sa.String),
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("ref", sa.String),
        sa.column("patient_ref", sa.String),
        sa.column("summary", sa.String),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
        sa.column("os_user", sa.String),
        sa.column("prev_hash", sa.String),
        sa.column("event_hash", sa.String),
    )


def upgrade() -> None:
    op.add_column(
        "audit_event",
        sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default=""),
    )
    op.add_column(
        "audit_event",
        sa.Column("event_hash", sa.String(length=64), nullable=False, server_default=""),
    )
    bind = op.get_bind()
    events = _events()
    prev = GENESIS
    batch: list[dict[str, object]] = []
    update = (
        sa.update(events)
        .where(events.c.id == sa.bindparam("row_id"))
        .values(prev_hash=sa.bindparam("p"), event_hash=sa.bindparam("h"))
    )
    for row in bind.execute(sa.select(events).order_by(events.c.id)).mappings().all():
        digest = event_hash(prev, row)
        batch.append({"row_id": row["id"], "p": prev, "h": digest})
        prev = digest
        if len(batch) >= 1000:
            bind.execute(update, batch)
            batch = []
    if batch:
        bind.execute(update, batch)
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        for statement in _PG_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.drop_column("event_hash")
        batch_op.drop_column("prev_hash")
