"""core: financial aid

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('occe_aid_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_year_id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=True),
    sa.Column('classroom_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('project_title', sa.String(length=200), nullable=False),
    sa.Column('project_description', sa.Text(), nullable=True),
    sa.Column('amount_requested', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('request_file_id', sa.Integer(), nullable=True),
    sa.Column('budget_file_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('commission_on', sa.Date(), nullable=True),
    sa.Column('amount_granted', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('amount_paid', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('payment_method', sa.String(length=10), nullable=True),
    sa.Column('report_received_on', sa.Date(), nullable=True),
    sa.Column('report_file_id', sa.Integer(), nullable=True),
    sa.Column('report_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['budget_file_id'], ['occe_stored_file.id'], ),
    sa.ForeignKeyConstraint(['classroom_id'], ['occe_classroom.id'], ),
    sa.ForeignKeyConstraint(['cooperative_id'], ['occe_cooperative.id'], ),
    sa.ForeignKeyConstraint(['report_file_id'], ['occe_stored_file.id'], ),
    sa.ForeignKeyConstraint(['request_file_id'], ['occe_stored_file.id'], ),
    sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
    sa.ForeignKeyConstraint(['sector_id'], ['occe_sector.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('occe_aid_request', schema=None) as batch_op:
        batch_op.create_index('ix_occe_aid_request_year_status', ['school_year_id', 'status'], unique=False)
        for column in ('budget_file_id', 'classroom_id', 'cooperative_id', 'report_file_id', 'request_file_id', 'school_year_id', 'sector_id'):
            batch_op.create_index(batch_op.f(f'ix_occe_aid_request_{column}'), [column], unique=False)


def downgrade():
    with op.batch_alter_table('occe_aid_request', schema=None) as batch_op:
        for column in ('budget_file_id', 'classroom_id', 'cooperative_id', 'report_file_id', 'request_file_id', 'school_year_id', 'sector_id'):
            batch_op.drop_index(batch_op.f(f'ix_occe_aid_request_{column}'))
        batch_op.drop_index('ix_occe_aid_request_year_status')

    op.drop_table('occe_aid_request')
