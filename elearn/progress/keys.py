"""Turn stored answer keys back into content objects, so grading has one implementation."""

from __future__ import annotations

from elearn.content import model
from elearn.models import Question


def to_content_question(row: Question) -> model.Question:
    """Rebuild the validated question from its database row (answer key included)."""
    key = row.answer_key
    return model.Question(
        id=row.slug,
        kind=row.kind,  # type: ignore[arg-type]
        text_html=row.text_html,
        points=row.points,
        choices=tuple(
            model.Choice(
                key=c["key"],
                text=c["text"],
                html=c["html"],
                correct=c["correct"],
                feedback_html=c.get("feedback_html"),
                line=0,
            )
            for c in key.get("choices", [])
        ),
        short_answers=tuple(key.get("short_answers", [])),
        numeric_answers=tuple(
            model.NumericAnswer(value=a["value"], tolerance=a["tolerance"])
            for a in key.get("numeric_answers", [])
        ),
        explanation_html=row.explanation_html,
        line=0,
        content_hash=row.content_hash,
    )
