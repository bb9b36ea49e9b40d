"""How a course completion was reached: every lesson and quiz, or the test-out quiz.

`course_progress.completed_via` is "lessons" or "test_out" once a course is completed, NULL
before. Every completion recorded so far was reached through the lessons.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 04:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('course_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_via', sa.String(length=10), nullable=True))
    op.execute(
        "UPDATE course_progress SET completed_via = 'lessons' WHERE completed_at IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('course_progress', schema=None) as batch_op:
        batch_op.drop_column('completed_via')
