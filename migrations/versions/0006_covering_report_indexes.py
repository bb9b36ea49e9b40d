"""Indexes that let national reports read one course's rows without visiting the tables.

On PostgreSQL the indexes carry the columns the reports read (INCLUDE), so a province-wide
list or trend is an index-only scan; SQLite ignores INCLUDE and gets the plain index.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 05:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_course_progress_course_id_user_id', 'course_progress', ['course_id', 'user_id'],
        postgresql_include=['completed_at'],
    )
    op.drop_index('ix_course_rollup_category_course_id', table_name='course_rollup')
    op.create_index(
        'ix_course_rollup_course_id_category', 'course_rollup', ['course_id', 'category'],
        postgresql_include=['unit_id', 'it_level', 'started', 'completed'],
    )
    op.drop_index('ix_completion_rollup_course_id_day', table_name='completion_rollup')
    op.create_index(
        'ix_completion_rollup_course_id_day', 'completion_rollup', ['course_id', 'day'],
        postgresql_include=['unit_id', 'completions'],
    )


def downgrade():
    op.drop_index('ix_completion_rollup_course_id_day', table_name='completion_rollup')
    op.create_index(
        'ix_completion_rollup_course_id_day', 'completion_rollup', ['course_id', 'day']
    )
    op.drop_index('ix_course_rollup_course_id_category', table_name='course_rollup')
    op.create_index(
        'ix_course_rollup_category_course_id', 'course_rollup', ['category', 'course_id']
    )
    op.drop_index('ix_course_progress_course_id_user_id', table_name='course_progress')
