"""The migrations build exactly the schema the models describe, on this run's database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from elearn.extensions import db


def test_an_upgraded_empty_database_matches_the_models(app):
    """The session's database was created by `upgrade()` from empty; nothing may differ."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        assert compare_metadata(context, db.metadata) == []


def test_subtree_and_sort_indexes_exist(app):
    with app.app_context():
        inspector = inspect(db.engine)
        unit_indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes("unit")}
        assert unit_indexes["ix_unit_path"] == ["path"]
        user_indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes("user_account")}
        assert user_indexes["ix_user_account_unit_id_sort_key"] == ["unit_id", "sort_key"]


@pytest.mark.parametrize(
    "table, name, columns, included",
    [
        (
            "course_progress",
            "ix_course_progress_course_id_user_id",
            ["course_id", "user_id"],
            ["completed_at"],
        ),
        (
            "course_rollup",
            "ix_course_rollup_course_id_category",
            ["course_id", "category"],
            ["unit_id", "it_level", "started", "completed"],
        ),
        (
            "completion_rollup",
            "ix_completion_rollup_course_id_day",
            ["course_id", "day"],
            ["unit_id", "completions"],
        ),
    ],
)
def test_national_report_indexes_carry_what_reports_read(app, table, name, columns, included):
    """On PostgreSQL these indexes answer province-wide reports without reading the table."""
    with app.app_context():
        indexes = {i["name"]: i for i in inspect(db.engine).get_indexes(table)}
        assert indexes[name]["column_names"][: len(columns)] == columns
        if db.engine.dialect.name == "postgresql":
            assert indexes[name]["dialect_options"]["postgresql_include"] == included
