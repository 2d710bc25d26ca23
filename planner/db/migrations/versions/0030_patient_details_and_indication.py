"""patient allergies, sex, phone and weighing date; protocol indication

Revision ID: 0030
Revises: 0002
Create Date: 2026-12-10

The paperwork prints allergies (NULL = not recorded, [] = no known drug
allergies), screens pregnancy by sex, asks for a fresh weight when the one on
file is old, and chooses the consent wording by what a protocol treats. Existing
patients start as "not recorded" everywhere; existing protocols treat depression.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.add_column(sa.Column("weight_measured", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("sex", sa.String(length=20), nullable=False, server_default="unknown")
        )
        batch.add_column(sa.Column("phone", sa.String(length=80), nullable=False, server_default=""))
        batch.add_column(sa.Column("allergies", sa.JSON(none_as_null=True), nullable=True))
    with op.batch_alter_table("protocol") as batch:
        batch.add_column(
            sa.Column(
                "indication", sa.String(length=20), nullable=False, server_default="depression"
            )
        )
    # The schema keeps no server defaults (the app writes every value): drop them again.
    with op.batch_alter_table("patient") as batch:
        batch.alter_column("sex", server_default=None)
        batch.alter_column("phone", server_default=None)
    with op.batch_alter_table("protocol") as batch:
        batch.alter_column("indication", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("protocol") as batch:
        batch.drop_column("indication")
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("allergies")
        batch.drop_column("phone")
        batch.drop_column("sex")
        batch.drop_column("weight_measured")
