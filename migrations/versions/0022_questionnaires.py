"""questionnaires: a call's short questionnaire, its questions, and one row of answers per
patron (unique per questionnaire and patron)

Revision ID: 0022
Revises: 0021

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('questionnaire',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('results_public', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_questionnaire_call_id_call')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire')),
    sa.UniqueConstraint('call_id', name=op.f('uq_questionnaire_call_id'))
    )
    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text_en', sa.String(length=300), nullable=False),
    sa.Column('text_zh', sa.String(length=300), nullable=False),
    sa.Column('options_en', sa.Text(), nullable=False),
    sa.Column('options_zh', sa.Text(), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaire.id'], name=op.f('fk_question_questionnaire_id_questionnaire')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_questionnaire_id'), ['questionnaire_id'], unique=False)

    op.create_table('questionnaire_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('patron_id', sa.Integer(), nullable=False),
    sa.Column('patron_type', sa.String(length=20), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['patron_id'], ['user.id'], name=op.f('fk_questionnaire_response_patron_id_user')),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaire.id'], name=op.f('fk_questionnaire_response_questionnaire_id_questionnaire')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_response')),
    sa.UniqueConstraint('questionnaire_id', 'patron_id', name=op.f('uq_questionnaire_response_questionnaire_id_patron_id'))
    )
    with op.batch_alter_table('questionnaire_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_response_patron_id'), ['patron_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_questionnaire_response_questionnaire_id'), ['questionnaire_id'], unique=False)


def downgrade():
    with op.batch_alter_table('questionnaire_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_response_questionnaire_id'))
        batch_op.drop_index(batch_op.f('ix_questionnaire_response_patron_id'))
    op.drop_table('questionnaire_response')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_questionnaire_id'))
    op.drop_table('question')
    op.drop_table('questionnaire')
