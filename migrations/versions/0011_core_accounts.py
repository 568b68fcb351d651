"""core: CRFS and account checks

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'occe_crfs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cooperative_id', sa.Integer(), nullable=False),
        sa.Column('school_year_id', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=True),
        sa.Column('opening_balance', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('income', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('expenses', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('closing_balance', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('quitus_signed', sa.Boolean(), nullable=False),
        sa.Column('bank_statement', sa.Boolean(), nullable=False),
        sa.Column('subsidies_proofs', sa.String(length=12), nullable=False),
        sa.Column('quitus_file_id', sa.Integer(), nullable=True),
        sa.Column('statement_file_id', sa.Integer(), nullable=True),
        sa.Column('subsidies_file_id', sa.Integer(), nullable=True),
        sa.Column('anomalies', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['cooperative_id'], ['occe_cooperative.id'], ),
        sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
        sa.ForeignKeyConstraint(['quitus_file_id'], ['occe_stored_file.id'], ),
        sa.ForeignKeyConstraint(['statement_file_id'], ['occe_stored_file.id'], ),
        sa.ForeignKeyConstraint(['subsidies_file_id'], ['occe_stored_file.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('cooperative_id', 'school_year_id', name='uq_occe_crfs_coop_year'),
    )
    with op.batch_alter_table('occe_crfs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_crfs_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_crfs_school_year_id'), ['school_year_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_crfs_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_crfs_quitus_file_id'), ['quitus_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_crfs_statement_file_id'), ['statement_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_crfs_subsidies_file_id'), ['subsidies_file_id'], unique=False)

    op.create_table(
        'occe_account_check',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cooperative_id', sa.Integer(), nullable=False),
        sa.Column('school_year_id', sa.Integer(), nullable=False),
        sa.Column('origin', sa.String(length=10), nullable=False),
        sa.Column('crfs_id', sa.Integer(), nullable=True),
        sa.Column('requested_on', sa.Date(), nullable=False),
        sa.Column('visit_on', sa.Date(), nullable=True),
        sa.Column('visited_by', sa.String(length=150), nullable=True),
        sa.Column('advice', sa.Text(), nullable=True),
        sa.Column('documents_sent', sa.Text(), nullable=True),
        sa.Column('outcome', sa.String(length=15), nullable=False),
        sa.Column('outcome_notes', sa.Text(), nullable=True),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['cooperative_id'], ['occe_cooperative.id'], ),
        sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
        sa.ForeignKeyConstraint(['crfs_id'], ['occe_crfs.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('occe_account_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_account_check_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_account_check_school_year_id'), ['school_year_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_account_check_crfs_id'), ['crfs_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_account_check_closed_on'), ['closed_on'], unique=False)


def downgrade():
    with op.batch_alter_table('occe_account_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occe_account_check_closed_on'))
        batch_op.drop_index(batch_op.f('ix_occe_account_check_crfs_id'))
        batch_op.drop_index(batch_op.f('ix_occe_account_check_school_year_id'))
        batch_op.drop_index(batch_op.f('ix_occe_account_check_cooperative_id'))
    op.drop_table('occe_account_check')
    with op.batch_alter_table('occe_crfs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occe_crfs_subsidies_file_id'))
        batch_op.drop_index(batch_op.f('ix_occe_crfs_statement_file_id'))
        batch_op.drop_index(batch_op.f('ix_occe_crfs_quitus_file_id'))
        batch_op.drop_index(batch_op.f('ix_occe_crfs_received_on'))
        batch_op.drop_index(batch_op.f('ix_occe_crfs_school_year_id'))
        batch_op.drop_index(batch_op.f('ix_occe_crfs_cooperative_id'))
    op.drop_table('occe_crfs')
