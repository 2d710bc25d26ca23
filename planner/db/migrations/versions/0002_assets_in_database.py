"""consent wording and logo kept in the database, never read from a path

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

A clinic's logo file and consent wording file (``policy.consent_template``) are
read once, here, into the database; from now on nothing a document says can
make the app read a file.
"""

from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MAX_LOGO = 1024 * 1024
_MAX_TEXT = 200_000


def _read(path: object, limit: int) -> bytes | None:
    """A regular file's bytes, or None (missing, too large, unreadable: the old path is dropped)."""
    if not isinstance(path, str) or not path:
        return None
    try:
        file = Path(path)
        if not file.is_file() or file.stat().st_size > limit:
            return None
        return file.read_bytes()
    except OSError:
        return None


def upgrade() -> None:
    op.create_table(
        "consent_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ref"),
    )
    with op.batch_alter_table("protocol") as batch:
        batch.add_column(sa.Column("consent_template_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_protocol_consent_template", "consent_template", ["consent_template_id"], ["id"]
        )
    with op.batch_alter_table("clinic") as batch:
        batch.add_column(sa.Column("logo", sa.LargeBinary(), nullable=True))

    conn = op.get_bind()
    clinic = sa.table(
        "clinic",
        sa.column("id", sa.Integer),
        sa.column("logo_path", sa.String),
        sa.column("logo", sa.LargeBinary),
        sa.column("policy", sa.JSON),
    )
    for row in conn.execute(sa.select(clinic.c.id, clinic.c.logo_path, clinic.c.policy)).all():
        logo = _read(row.logo_path, _MAX_LOGO)
        if logo is not None and not (logo.startswith(b"\x89PNG") or logo.startswith(b"\xff\xd8\xff")):
            logo = None
        policy = dict(row.policy or {})
        wording = _read(policy.pop("consent_template", None), _MAX_TEXT * 4)
        conn.execute(
            clinic.update().where(clinic.c.id == row.id).values(logo=logo, policy=policy)
        )
        text = None
        if wording is not None:
            try:
                text = wording.decode("utf-8").replace("\x00", "")[:_MAX_TEXT]
            except UnicodeDecodeError:
                text = None
        if text and text.strip():
            templates = sa.table(
                "consent_template",
                sa.column("id", sa.Integer),
                sa.column("ref", sa.String),
                sa.column("name", sa.String),
                sa.column("text", sa.Text),
                sa.column("version", sa.Integer),
            )
            conn.execute(
                templates.insert().values(
                    id=1, ref="CT-01", name="Clinic consent wording", text=text, version=1
                )
            )
            protocol = sa.table("protocol", sa.column("consent_template_id", sa.Integer))
            conn.execute(protocol.update().values(consent_template_id=1))
    with op.batch_alter_table("clinic") as batch:
        batch.drop_column("logo_path")


def downgrade() -> None:
    with op.batch_alter_table("clinic") as batch:
        batch.add_column(sa.Column("logo_path", sa.String(length=1000), nullable=True))
        batch.drop_column("logo")
    with op.batch_alter_table("protocol") as batch:
        batch.drop_constraint("fk_protocol_consent_template", type_="foreignkey")
        batch.drop_column("consent_template_id")
    op.drop_table("consent_template")
