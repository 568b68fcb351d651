"""core: associative life

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('occe_board_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('function', sa.String(length=20), nullable=False),
    sa.Column('elected_on', sa.Date(), nullable=True),
    sa.Column('term_ends_on', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['occe_person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('occe_board_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_board_member_last_name'), ['last_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_board_member_person_id'), ['person_id'], unique=False)

    op.create_table('occe_working_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('school_year_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('occe_working_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_working_group_school_year_id'), ['school_year_id'], unique=False)

    op.create_table('occe_working_group_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('working_group_id', sa.Integer(), nullable=False),
    sa.Column('board_member_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('role', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['board_member_id'], ['occe_board_member.id'], ),
    sa.ForeignKeyConstraint(['working_group_id'], ['occe_working_group.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('working_group_id', 'board_member_id', name='uq_occe_working_group_member')
    )
    with op.batch_alter_table('occe_working_group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_working_group_member_board_member_id'), ['board_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_working_group_member_working_group_id'), ['working_group_id'], unique=False)

    op.create_table('occe_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_year_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('agenda', sa.Text(), nullable=True),
    sa.Column('minutes_file_id', sa.Integer(), nullable=True),
    sa.Column('minutes_approved_on', sa.Date(), nullable=True),
    sa.Column('working_group_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['minutes_file_id'], ['occe_stored_file.id'], ),
    sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
    sa.ForeignKeyConstraint(['working_group_id'], ['occe_working_group.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('occe_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_meeting_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_meeting_minutes_file_id'), ['minutes_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_meeting_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_meeting_working_group_id'), ['working_group_id'], unique=False)
        batch_op.create_index('ix_occe_meeting_year_starts', ['school_year_id', 'starts_at'], unique=False)

    op.create_table('occe_meeting_attendee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('board_member_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('presence', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['board_member_id'], ['occe_board_member.id'], ),
    sa.ForeignKeyConstraint(['meeting_id'], ['occe_meeting.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('meeting_id', 'board_member_id', name='uq_occe_meeting_attendee_member')
    )
    with op.batch_alter_table('occe_meeting_attendee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_meeting_attendee_board_member_id'), ['board_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_meeting_attendee_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('occe_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('votes_for', sa.Integer(), nullable=True),
    sa.Column('votes_against', sa.Integer(), nullable=True),
    sa.Column('votes_abstention', sa.Integer(), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['occe_meeting.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('meeting_id', 'number', name='uq_occe_decision_number')
    )
    with op.batch_alter_table('occe_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_decision_done_on'), ['done_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_occe_decision_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('occe_partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('occe_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_partner_kind'), ['kind'], unique=False)

    op.create_table('occe_partner_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=True),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('function', sa.String(length=150), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['occe_partner.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('occe_partner_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_partner_contact_partner_id'), ['partner_id'], unique=False)

    op.create_table('occe_partner_advantage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['occe_partner.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('occe_partner_advantage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occe_partner_advantage_partner_id'), ['partner_id'], unique=False)


def downgrade():
    for table, indexes in (
        ('occe_partner_advantage', ['ix_occe_partner_advantage_partner_id']),
        ('occe_partner_contact', ['ix_occe_partner_contact_partner_id']),
        ('occe_partner', ['ix_occe_partner_kind']),
        ('occe_decision', ['ix_occe_decision_meeting_id', 'ix_occe_decision_done_on']),
        ('occe_meeting_attendee', ['ix_occe_meeting_attendee_meeting_id', 'ix_occe_meeting_attendee_board_member_id']),
        ('occe_meeting', ['ix_occe_meeting_year_starts', 'ix_occe_meeting_working_group_id', 'ix_occe_meeting_starts_at',
                          'ix_occe_meeting_minutes_file_id', 'ix_occe_meeting_kind']),
        ('occe_working_group_member', ['ix_occe_working_group_member_working_group_id', 'ix_occe_working_group_member_board_member_id']),
        ('occe_working_group', ['ix_occe_working_group_school_year_id']),
        ('occe_board_member', ['ix_occe_board_member_person_id', 'ix_occe_board_member_last_name']),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
