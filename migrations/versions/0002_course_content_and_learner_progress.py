"""Course content (courses, items, questions, media, sync runs) and learner progress.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 02:58:01.140475

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_sync',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_sync'))
    )
    with op.batch_alter_table('content_sync', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_sync_at'), ['at'], unique=False)

    op.create_table('course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('competencies', sa.String(length=500), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('intro_html', sa.Text(), nullable=False),
    sa.Column('folder', sa.String(length=300), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course')),
    sa.UniqueConstraint('slug', name=op.f('uq_course_slug'))
    )
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_status'), ['status'], unique=False)

    op.create_table('media_file',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('mime_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_media_file'))
    )
    op.create_table('course_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source_path', sa.String(length=300), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=True),
    sa.Column('max_attempts', sa.Integer(), nullable=True),
    sa.Column('shuffle', sa.Boolean(), nullable=False),
    sa.Column('first_published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_item_course_id_course')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_item')),
    sa.UniqueConstraint('course_id', 'slug', name=op.f('uq_course_item_course_id_slug'))
    )
    with op.batch_alter_table('course_item', schema=None) as batch_op:
        batch_op.create_index('ix_course_item_course_id_status_position', ['course_id', 'status', 'position'], unique=False)

    op.create_table('course_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_version', sa.Integer(), nullable=True),
    sa.Column('best_score', sa.Double(), nullable=True),
    sa.Column('certificate_code', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_progress_course_id_course')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_course_progress_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_progress')),
    sa.UniqueConstraint('certificate_code', name=op.f('uq_course_progress_certificate_code')),
    sa.UniqueConstraint('user_id', 'course_id', name=op.f('uq_course_progress_user_id_course_id'))
    )
    with op.batch_alter_table('course_progress', schema=None) as batch_op:
        batch_op.create_index('ix_course_progress_course_id_completed_at', ['course_id', 'completed_at'], unique=False)

    op.create_table('lesson_completion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['course_item.id'], name=op.f('fk_lesson_completion_item_id_course_item')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_lesson_completion_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_completion')),
    sa.UniqueConstraint('user_id', 'item_id', name=op.f('uq_lesson_completion_user_id_item_id'))
    )
    with op.batch_alter_table('lesson_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_completion_item_id'), ['item_id'], unique=False)

    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text_html', sa.Text(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('answer_key', sa.JSON(), nullable=False),
    sa.Column('explanation_html', sa.Text(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['quiz_id'], ['course_item.id'], name=op.f('fk_question_quiz_id_course_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    sa.UniqueConstraint('quiz_id', 'slug', name=op.f('uq_question_quiz_id_slug'))
    )
    op.create_table('quiz_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('choice_order', sa.JSON(), nullable=False),
    sa.Column('responses', sa.JSON(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=True),
    sa.Column('max_points', sa.Integer(), nullable=True),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('graded_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['course_item.id'], name=op.f('fk_quiz_attempt_item_id_course_item')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_quiz_attempt_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempt')),
    sa.UniqueConstraint('token', name=op.f('uq_quiz_attempt_token')),
    sa.UniqueConstraint('user_id', 'item_id', 'number', name=op.f('uq_quiz_attempt_user_id_item_id_number'))
    )
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_attempt_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_quiz_attempt_user_id_item_id_passed', ['user_id', 'item_id', 'passed'], unique=False)



def downgrade():
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempt_user_id_item_id_passed')
        batch_op.drop_index(batch_op.f('ix_quiz_attempt_item_id'))

    op.drop_table('quiz_attempt')
    op.drop_table('question')
    with op.batch_alter_table('lesson_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_completion_item_id'))

    op.drop_table('lesson_completion')
    with op.batch_alter_table('course_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_course_progress_course_id_completed_at')

    op.drop_table('course_progress')
    with op.batch_alter_table('course_item', schema=None) as batch_op:
        batch_op.drop_index('ix_course_item_course_id_status_position')

    op.drop_table('course_item')
    op.drop_table('media_file')
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_status'))

    op.drop_table('course')
    with op.batch_alter_table('content_sync', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_sync_at'))

    op.drop_table('content_sync')
