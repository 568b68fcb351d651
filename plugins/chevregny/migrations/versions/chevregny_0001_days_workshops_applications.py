"""Musée de Chevregny: days, workshops, applications

Revision ID: chevregny_0001
Revises: 
Create Date: 2026-11-27 20:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'chevregny_0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('chevregny_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_year_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('lunch_after_slot', sa.Integer(), nullable=False),
    sa.Column('lunch_minutes', sa.Integer(), nullable=False),
    sa.Column('entry_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('chevregny_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chevregny_day_school_year_id'), ['school_year_id'], unique=False)

    op.create_table('chevregny_workshop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day_id', sa.Integer(), nullable=False),
    sa.Column('school_year_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('leader', sa.String(length=120), nullable=True),
    sa.Column('place', sa.String(length=120), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['day_id'], ['chevregny_day.id'], ),
    sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('chevregny_workshop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chevregny_workshop_day_id'), ['day_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chevregny_workshop_school_year_id'), ['school_year_id'], unique=False)

    op.create_table('chevregny_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_year_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('day_id', sa.Integer(), nullable=True),
    sa.Column('pupils', sa.Integer(), nullable=False),
    sa.Column('adults', sa.Integer(), nullable=False),
    sa.Column('override_points', sa.Integer(), nullable=False),
    sa.Column('override_reason', sa.String(length=300), nullable=True),
    sa.Column('overridden_by_id', sa.Integer(), nullable=True),
    sa.Column('overridden_at', sa.DateTime(), nullable=True),
    sa.Column('transport_quote', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('quote_file_id', sa.Integer(), nullable=True),
    sa.Column('aid_request_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['aid_request_id'], ['occe_aid_request.id'], ),
    sa.ForeignKeyConstraint(['day_id'], ['chevregny_day.id'], ),
    sa.ForeignKeyConstraint(['overridden_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['quote_file_id'], ['occe_stored_file.id'], ),
    sa.ForeignKeyConstraint(['registration_id'], ['occe_registration.id'], ),
    sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('registration_id')
    )
    with op.batch_alter_table('chevregny_application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chevregny_application_aid_request_id'), ['aid_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chevregny_application_day_id'), ['day_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chevregny_application_quote_file_id'), ['quote_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chevregny_application_school_year_id'), ['school_year_id'], unique=False)


def downgrade():
    with op.batch_alter_table('chevregny_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chevregny_application_school_year_id'))
        batch_op.drop_index(batch_op.f('ix_chevregny_application_quote_file_id'))
        batch_op.drop_index(batch_op.f('ix_chevregny_application_day_id'))
        batch_op.drop_index(batch_op.f('ix_chevregny_application_aid_request_id'))
    op.drop_table('chevregny_application')
    with op.batch_alter_table('chevregny_workshop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chevregny_workshop_school_year_id'))
        batch_op.drop_index(batch_op.f('ix_chevregny_workshop_day_id'))
    op.drop_table('chevregny_workshop')
    with op.batch_alter_table('chevregny_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chevregny_day_school_year_id'))
    op.drop_table('chevregny_day')
