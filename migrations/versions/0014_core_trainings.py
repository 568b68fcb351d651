"""core: trainings

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27 18:00:00

"""
from decimal import Decimal

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# The activity plan's catalogue (a copy: a migration must not import the models it predates).
CATALOGUE = (
    ("L'argent à l'école (nouveaux mandataires)", "nouveaux_mandataires", "3",
     "Formation en présentiel de début d'année pour les nouveaux mandataires : gérer l'argent de la coopérative scolaire, tenir la comptabilité, établir le compte rendu financier (CRFS)."),
    ("L'argent à l'école (néo-directeurs)", "neo_directeurs", "3",
     "Formation des néo-directeurs et des directeurs faisant fonction à la gestion de la coopérative scolaire."),
    ("Visio mensuelle des mandataires", "mandataires", "1.5",
     "Une fois par mois, en visio : les questions de gestion des mandataires (comptabilité, CRFS, assurance, sorties)."),
    ("Forum INSPE", "etudiants_inspe", "3",
     "Une matinée à l'INSPE pour les futurs ou nouveaux enseignants : l'argent à l'école et la présentation des actions de l'OCCE."),
    ("Des outils coopératifs au service du climat scolaire", "neo_directeurs", "3",
     "Formation des néo-directeurs : des outils coopératifs au service du climat scolaire."),
    ("Faire équipe", "neo_directeurs", "3",
     "Formation des néo-directeurs : faire équipe."),
    ("Conseil de coopérative et messages clairs", "enseignants", "3",
     "Formation des enseignants en lien avec les actions : le conseil de coopérative et les messages clairs (de 1 h 30 à 3 h)."),
    ("Écoute active et messages clairs au service du climat scolaire", "educateurs", "3",
     "Pour la Cité éducative de Saint-Quentin : éducateurs spécialisés et coordinateurs."),
    ("Former à la coopération pour améliorer le bien-être à l'école et prévenir le harcèlement", "animateurs", "9",
     "Formation des animateurs OCCE."),
    ("(In)formation THEA et Bals en liance", "enseignants", "2",
     "Pour les enseignants inscrits à THEA et à Bals en liance."),
    ("La Picardie en Poésie", "enseignants", "3",
     "Pour les enseignants inscrits à La Picardie en Poésie."),
)


def upgrade():
    training = op.create_table('occe_training',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('audience', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('default_hours', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('title')
    )
    op.create_table('occe_training_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('school_year_id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=20), nullable=False),
    sa.Column('place_detail', sa.String(length=200), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('minimum', sa.Integer(), nullable=False),
    sa.Column('decision_on', sa.Date(), nullable=True),
    sa.Column('animator_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('cancelled_reason', sa.Text(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('plugin_code', sa.String(length=40), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['animator_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['school_year_id'], ['occe_school_year.id'], ),
    sa.ForeignKeyConstraint(['training_id'], ['occe_training.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_occe_training_session_year_starts', 'occe_training_session', ['school_year_id', 'starts_at'], unique=False)
    op.create_index(op.f('ix_occe_training_session_training_id'), 'occe_training_session', ['training_id'], unique=False)
    op.create_index(op.f('ix_occe_training_session_status'), 'occe_training_session', ['status'], unique=False)
    op.create_index(op.f('ix_occe_training_session_plugin_code'), 'occe_training_session', ['plugin_code'], unique=False)

    op.create_table('occe_training_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=True),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['occe_cooperative.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['occe_person.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['occe_training_session.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'email', name='uq_occe_training_registration_session_email')
    )
    op.create_index(op.f('ix_occe_training_registration_session_id'), 'occe_training_registration', ['session_id'], unique=False)
    op.create_index(op.f('ix_occe_training_registration_person_id'), 'occe_training_registration', ['person_id'], unique=False)
    op.create_index(op.f('ix_occe_training_registration_cooperative_id'), 'occe_training_registration', ['cooperative_id'], unique=False)

    op.bulk_insert(training, [
        {"title": title, "audience": audience, "default_hours": Decimal(hours), "description": description, "active": True, "version": 1}
        for title, audience, hours, description in CATALOGUE
    ])


def downgrade():
    op.drop_index(op.f('ix_occe_training_registration_cooperative_id'), table_name='occe_training_registration')
    op.drop_index(op.f('ix_occe_training_registration_person_id'), table_name='occe_training_registration')
    op.drop_index(op.f('ix_occe_training_registration_session_id'), table_name='occe_training_registration')
    op.drop_table('occe_training_registration')
    op.drop_index(op.f('ix_occe_training_session_plugin_code'), table_name='occe_training_session')
    op.drop_index(op.f('ix_occe_training_session_status'), table_name='occe_training_session')
    op.drop_index(op.f('ix_occe_training_session_training_id'), table_name='occe_training_session')
    op.drop_index('ix_occe_training_session_year_starts', table_name='occe_training_session')
    op.drop_table('occe_training_session')
    op.drop_table('occe_training')
