"""Test out and the digital-skills passport: how a completion was reached, and who covers
which domain.

`course_progress.completed_via` is "lessons" or "test_out" once a course is completed, NULL
before; every completion recorded so far was reached through the lessons. `domain_rollup`
counts, per unit and domain of the competency framework, the officials who completed at
least one published course tagged with it; it is filled here from progress.

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

    op.create_table('domain_rollup',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.Column('covered', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competency_id'], ['competency.id'], name=op.f('fk_domain_rollup_competency_id_competency')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_domain_rollup_unit_id_unit')),
    sa.PrimaryKeyConstraint('unit_id', 'competency_id', name=op.f('pk_domain_rollup'))
    )
    op.execute(
        "INSERT INTO domain_rollup (unit_id, competency_id, covered) "
        "SELECT u.unit_id, cc.competency_id, COUNT(DISTINCT cp.user_id) "
        "FROM course_progress cp "
        "JOIN user_account u ON u.id = cp.user_id "
        "JOIN course c ON c.id = cp.course_id "
        "JOIN course_competency cc ON cc.course_id = cp.course_id "
        f"WHERE {OFFICIALS} AND cp.completed_at IS NOT NULL AND c.status = 'published' "
        "GROUP BY u.unit_id, cc.competency_id"
    )


OFFICIALS = "u.active AND u.category IN ('can_bo', 'cong_chuc')"  # as in 0012


def downgrade():
    op.drop_table('domain_rollup')
    with op.batch_alter_table('course_progress', schema=None) as batch_op:
        batch_op.drop_column('completed_via')
