"""The room of activities 1 and 2: attendees (the introductions' cards, with a short code),
their opinion-survey answers and their knowledge-test answers before and after the training.

Revision ID: 0003
Revises: 0002

New tables only: every row of 0002 stays as it was.
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attendees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name_th', sa.String(length=200), nullable=False),
    sa.Column('name_key', sa.String(length=200), nullable=False),
    sa.Column('role_id', sa.String(length=40), nullable=False),
    sa.Column('district_th', sa.String(length=120), nullable=False),
    sa.Column('community_th', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_attendees_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendees')),
    sa.UniqueConstraint('workshop_id', 'code', name=op.f('uq_attendees_workshop_id_code')),
    sa.UniqueConstraint('workshop_id', 'name_key', name=op.f('uq_attendees_workshop_id_name_key'))
    )
    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('attendee_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.String(length=60), nullable=False),
    sa.Column('answer', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('answer BETWEEN 1 AND 5', name=op.f('ck_survey_answers_answer')),
    sa.ForeignKeyConstraint(['attendee_id'], ['attendees.id'], name=op.f('fk_survey_answers_attendee_id_attendees')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_survey_answers_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers')),
    sa.UniqueConstraint('attendee_id', 'statement_id', name=op.f('uq_survey_answers_attendee_id_statement_id'))
    )
    op.create_table('test_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('attendee_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=4), nullable=False),
    sa.Column('question_id', sa.String(length=60), nullable=False),
    sa.Column('choice', sa.String(length=10), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("stage IN ('pre', 'post')", name=op.f('ck_test_answers_stage')),
    sa.ForeignKeyConstraint(['attendee_id'], ['attendees.id'], name=op.f('fk_test_answers_attendee_id_attendees')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_test_answers_workshop_id_workshops')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_test_answers')),
    sa.UniqueConstraint('attendee_id', 'stage', 'question_id', name=op.f('uq_test_answers_attendee_id_stage_question_id'))
    )


def downgrade() -> None:
    op.drop_table('test_answers')
    op.drop_table('survey_answers')
    op.drop_table('attendees')
