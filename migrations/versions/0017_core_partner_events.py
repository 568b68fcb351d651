"""core: partner-led actions' closing events

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-27 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'occe_partner_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_year_id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('starts_at', sa.Time(), nullable=True),
        sa.Column('venue', sa.String(length=200), nullable=False),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['occe_action.id'], ),
        sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
        sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('occe_partner_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_partner_event_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_partner_event_school_year_id'), ['school_year_id'], unique=False)

    op.create_table(
        'occe_partner_event_class',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['occe_partner_event.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['occe_registration.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', 'registration_id')
    )
    with op.batch_alter_table('occe_partner_event_class', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_partner_event_class_registration_id'), ['registration_id'], unique=False)


def downgrade():
    with op.batch_alter_table('occe_partner_event_class', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occe_partner_event_class_registration_id'))
    op.drop_table('occe_partner_event_class')
    with op.batch_alter_table('occe_partner_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occe_partner_event_school_year_id'))
        batch_op.drop_index(batch_op.f('ix_occe_partner_event_action_id'))
    op.drop_table('occe_partner_event')
