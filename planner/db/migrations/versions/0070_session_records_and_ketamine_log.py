"""session records, the ketamine log and user accounts

Revision ID: 0070
Revises: 0030
Create Date: 2026-12-03

Accounts (local to this database), drug lots and physical counts, and per
session the record of what happened in the chair (vitals, medications given,
waste, adverse events, amendments); audit events keep the computer's login
beside the signed-in account.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0070"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=True),
    sa.Column('pin_failures', sa.Integer(), nullable=False),
    sa.Column('pin_locked_until', sa.DateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('drug_lot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('drug', sa.String(length=200), nullable=False),
    sa.Column('lot_number', sa.String(length=80), nullable=False),
    sa.Column('concentration_mg_per_ml', sa.Float(), nullable=False),
    sa.Column('ml_per_vial', sa.Float(), nullable=False),
    sa.Column('vials', sa.Integer(), nullable=False),
    sa.Column('received', sa.Date(), nullable=False),
    sa.Column('expires', sa.Date(), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('invoice', sa.String(length=200), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=False),
    sa.Column('witness_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['received_by_id'], ['staff_member.id'], ),
    sa.ForeignKeyConstraint(['witness_id'], ['staff_member.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ref')
    )
    op.create_table('inventory_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('mg', sa.Float(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('witness_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['staff_member.id'], ),
    sa.ForeignKeyConstraint(['lot_id'], ['drug_lot.id'], ),
    sa.ForeignKeyConstraint(['witness_id'], ['staff_member.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_inventory_count_lot_id'), 'inventory_count', ['lot_id'], unique=False)
    op.create_table('session_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('escort_present', sa.Boolean(), nullable=False),
    sa.Column('fasting_confirmed', sa.Boolean(), nullable=False),
    sa.Column('no_substances', sa.Boolean(), nullable=False),
    sa.Column('consent_verified', sa.Boolean(), nullable=False),
    sa.Column('allergies_confirmed', sa.Boolean(), nullable=False),
    sa.Column('escort_name', sa.String(length=200), nullable=False),
    sa.Column('weight_kg', sa.Float(), nullable=True),
    sa.Column('pregnancy', sa.String(length=20), nullable=True),
    sa.Column('discharge_dissociation_resolved', sa.Boolean(), nullable=False),
    sa.Column('discharge_oriented', sa.Boolean(), nullable=False),
    sa.Column('discharge_steady_gait', sa.Boolean(), nullable=False),
    sa.Column('discharge_tolerating_fluids', sa.Boolean(), nullable=False),
    sa.Column('discharge_nausea_controlled', sa.Boolean(), nullable=False),
    sa.Column('discharge_vitals_within_limits', sa.Boolean(), nullable=False),
    sa.Column('discharge_escort_present', sa.Boolean(), nullable=False),
    sa.Column('discharge_instructions_given', sa.Boolean(), nullable=False),
    sa.Column('aldrete', sa.Integer(), nullable=True),
    sa.Column('discharged_at', sa.DateTime(), nullable=True),
    sa.Column('discharged_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['discharged_by_id'], ['staff_member.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['infusion_session.id'], ),
    sa.ForeignKeyConstraint(['signed_by_id'], ['staff_member.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id')
    )
    op.create_table('adverse_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('serious', sa.Boolean(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['session_record.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_adverse_event_record_id'), 'adverse_event', ['record_id'], unique=False)
    op.create_table('drug_waste',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=False),
    sa.Column('mg', sa.Float(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('witness_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['staff_member.id'], ),
    sa.ForeignKeyConstraint(['lot_id'], ['drug_lot.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['session_record.id'], ),
    sa.ForeignKeyConstraint(['witness_id'], ['staff_member.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_drug_waste_lot_id'), 'drug_waste', ['lot_id'], unique=False)
    op.create_index(op.f('ix_drug_waste_record_id'), 'drug_waste', ['record_id'], unique=False)
    op.create_table('medication_given',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('drug', sa.String(length=200), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('mg', sa.Float(), nullable=False),
    sa.Column('route', sa.String(length=8), nullable=False),
    sa.Column('start_at', sa.DateTime(), nullable=False),
    sa.Column('end_at', sa.DateTime(), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['staff_member.id'], ),
    sa.ForeignKeyConstraint(['lot_id'], ['drug_lot.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['session_record.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_medication_given_lot_id'), 'medication_given', ['lot_id'], unique=False)
    op.create_index(op.f('ix_medication_given_record_id'), 'medication_given', ['record_id'], unique=False)
    op.create_table('record_amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['staff_member.id'], ),
    sa.ForeignKeyConstraint(['record_id'], ['session_record.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_record_amendment_record_id'), 'record_amendment', ['record_id'], unique=False)
    op.create_table('vital_sign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('systolic', sa.Integer(), nullable=True),
    sa.Column('diastolic', sa.Integer(), nullable=True),
    sa.Column('heart_rate', sa.Integer(), nullable=True),
    sa.Column('spo2', sa.Integer(), nullable=True),
    sa.Column('respiratory_rate', sa.Integer(), nullable=True),
    sa.Column('moaas', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('entered_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['session_record.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_vital_sign_record_id'), 'vital_sign', ['record_id'], unique=False)
    op.add_column('audit_event', sa.Column('os_user', sa.String(length=200), server_default='', nullable=False))


def downgrade() -> None:
    op.drop_column('audit_event', 'os_user')
    op.drop_index(op.f('ix_vital_sign_record_id'), table_name='vital_sign')
    op.drop_table('vital_sign')
    op.drop_index(op.f('ix_record_amendment_record_id'), table_name='record_amendment')
    op.drop_table('record_amendment')
    op.drop_index(op.f('ix_medication_given_record_id'), table_name='medication_given')
    op.drop_index(op.f('ix_medication_given_lot_id'), table_name='medication_given')
    op.drop_table('medication_given')
    op.drop_index(op.f('ix_drug_waste_record_id'), table_name='drug_waste')
    op.drop_index(op.f('ix_drug_waste_lot_id'), table_name='drug_waste')
    op.drop_table('drug_waste')
    op.drop_index(op.f('ix_adverse_event_record_id'), table_name='adverse_event')
    op.drop_table('adverse_event')
    op.drop_table('session_record')
    op.drop_index(op.f('ix_inventory_count_lot_id'), table_name='inventory_count')
    op.drop_table('inventory_count')
    op.drop_table('drug_lot')
    op.drop_table('account')
