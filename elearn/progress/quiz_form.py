"""Read a submitted quiz form strictly: anything that does not fit the attempt is refused."""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.datastructures import MultiDict

from elearn.models import Question
from elearn.progress.recording import BadSubmission, Submission
from elearn.text import clean

FIELD_PREFIX = "q-"
ALLOWED_FIELDS = {"csrf_token", "attempt_token"}
MAX_TEXT = 500


def field_name(question: Question) -> str:
    """The form field of a question: `q-<question id>`."""
    return FIELD_PREFIX + question.slug


def parse_submission(form: MultiDict[str, str], questions: list[Question]) -> Submission:
    """Turn form fields into a Submission; raise BadSubmission on any stray or extra field."""
    by_field = {field_name(q): q for q in questions}
    stray = [name for name in form if name not in ALLOWED_FIELDS and name not in by_field]
    if stray:
        raise BadSubmission(f"unexpected fields: {', '.join(sorted(stray))[:200]}")
    responses: dict[str, tuple[str, ...] | str] = {}
    for name, question in by_field.items():
        values = form.getlist(name)
        if question.kind in ("short", "numeric"):
            if len(values) > 1 or any(len(v) > MAX_TEXT for v in values):
                raise BadSubmission(f"{name}: one short text expected")
            responses[question.slug] = clean(values[0]) if values else ""
        else:
            responses[question.slug] = tuple(values)
    return Submission(token=form.get("attempt_token", ""), responses=responses)


def question_view(question, order: Mapping[str, list[str]] | None) -> dict:
    """What the form may show of a question: text and choices, never the answer key.

    `order` is an attempt's choice order (question slug → choice keys); without one the
    choices keep the order of the file."""
    choices = {c["key"]: c["html"] for c in question.answer_key.get("choices", [])}
    order = (order.get(question.slug) if order else None) or list(choices)
    return {
        "field": field_name(question),
        "slug": question.slug,
        "kind": question.kind,
        "text_html": question.text_html,
        "points": question.points,
        "choices": [(key, choices[key]) for key in order if key in choices],
    }


def in_form_order(choices: list[dict], order: list[str] | None) -> list[dict]:
    """The graded choices in the order the attempt's form showed them (the result reads like
    the form); choices the order does not name keep their place at the end."""
    if not order:
        return list(choices)
    place = {key: n for n, key in enumerate(order)}
    return sorted(choices, key=lambda c: place.get(c["key"], len(place)))
