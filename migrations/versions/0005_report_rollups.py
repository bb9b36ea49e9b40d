"""Report rollups: people, course progress and daily completions counted per unit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 04:00:18.787126

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('completion_rollup',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('completions', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_completion_rollup_course_id_course')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_completion_rollup_unit_id_unit')),
    sa.PrimaryKeyConstraint('unit_id', 'course_id', 'day', name=op.f('pk_completion_rollup'))
    )
    op.create_table('course_rollup',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('it_level', sa.String(length=100), nullable=False),
    sa.Column('started', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_rollup_course_id_course')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_course_rollup_unit_id_unit')),
    sa.PrimaryKeyConstraint('unit_id', 'course_id', 'category', 'it_level', name=op.f('pk_course_rollup'))
    )
    op.create_table('people_rollup',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('it_level', sa.String(length=100), nullable=False),
    sa.Column('officials', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_people_rollup_unit_id_unit')),
    sa.PrimaryKeyConstraint('unit_id', 'category', 'it_level', name=op.f('pk_people_rollup'))
    )


    with op.batch_alter_table('course_rollup', schema=None) as batch_op:
        batch_op.create_index('ix_course_rollup_category_course_id', ['category', 'course_id'], unique=False)
    with op.batch_alter_table('completion_rollup', schema=None) as batch_op:
        batch_op.create_index('ix_completion_rollup_course_id_day', ['course_id', 'day'], unique=False)

    # Count what is already there, so reports stay right on an upgraded database.
    local_day = (
        "CAST(timezone('Asia/Ho_Chi_Minh', p.completed_at) AS DATE)"
        if op.get_bind().dialect.name == "postgresql"
        else "date(p.completed_at, '+7 hours')"
    )
    op.execute(
        "INSERT INTO people_rollup (unit_id, category, it_level, officials) "
        "SELECT unit_id, category, COALESCE(it_level, ''), COUNT(*) FROM user_account "
        "WHERE active GROUP BY unit_id, category, COALESCE(it_level, '')"
    )
    op.execute(
        "INSERT INTO people_rollup (unit_id, category, it_level, officials) "
        "SELECT unit_id, '*', '*', SUM(officials) FROM people_rollup GROUP BY unit_id"
    )
    op.execute(
        "INSERT INTO course_rollup (unit_id, course_id, category, it_level, started, completed) "
        "SELECT u.unit_id, p.course_id, u.category, COALESCE(u.it_level, ''), COUNT(*), "
        "COUNT(p.completed_at) FROM course_progress p JOIN user_account u ON u.id = p.user_id "
        "WHERE u.active GROUP BY u.unit_id, p.course_id, u.category, COALESCE(u.it_level, '')"
    )
    op.execute(
        "INSERT INTO course_rollup (unit_id, course_id, category, it_level, started, completed) "
        "SELECT unit_id, course_id, '*', '*', SUM(started), SUM(completed) FROM course_rollup "
        "GROUP BY unit_id, course_id"
    )
    op.execute(
        "INSERT INTO completion_rollup (unit_id, course_id, day, completions) "
        f"SELECT u.unit_id, p.course_id, {local_day}, COUNT(*) FROM course_progress p "
        "JOIN user_account u ON u.id = p.user_id WHERE u.active AND p.completed_at IS NOT NULL "
        f"GROUP BY u.unit_id, p.course_id, {local_day}"
    )


def downgrade():
    with op.batch_alter_table('completion_rollup', schema=None) as batch_op:
        batch_op.drop_index('ix_completion_rollup_course_id_day')
    with op.batch_alter_table('course_rollup', schema=None) as batch_op:
        batch_op.drop_index('ix_course_rollup_category_course_id')

    op.drop_table('people_rollup')
    op.drop_table('course_rollup')
    op.drop_table('completion_rollup')
