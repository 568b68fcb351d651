"""core: partners' accounts, the actions they work on and their sessions

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-27 18:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'occe_partner_account',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['partner_id'], ['occe_partner.id'], ),
        sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id')
    )
    with op.batch_alter_table('occe_partner_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_partner_account_partner_id'), ['partner_id'], unique=False)

    op.create_table(
        'occe_action_partner',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['occe_action.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['partner_id'], ['occe_partner.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('action_id', 'partner_id', name='uq_occe_action_partner')
    )
    with op.batch_alter_table('occe_action_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_action_partner_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_action_partner_partner_id'), ['partner_id'], unique=False)

    op.create_table(
        'occe_partner_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_year_id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('artist', sa.String(length=150), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('hours', sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('report', sa.Text(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['occe_action.id'], ),
        sa.ForeignKeyConstraint(['partner_id'], ['occe_partner.id'], ),
        sa.ForeignKeyConstraint(['registration_id'], ['occe_registration.id'], ),
        sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
        sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('occe_partner_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_partner_session_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_partner_session_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_partner_session_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_partner_session_school_year_id'), ['school_year_id'], unique=False)


def downgrade():
    op.drop_table('occe_partner_session')
    op.drop_table('occe_action_partner')
    op.drop_table('occe_partner_account')
