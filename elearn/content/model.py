"""Validated, immutable course content: what the loader produces and the app consumes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
QuestionKind = Literal["single", "multiple", "true_false", "short", "numeric"]
CourseStatus = Literal["published", "draft"]

_SEVERITY_LABEL = {"error": "lỗi", "warning": "cảnh báo"}


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake an author can fix, located by file and 1-based line."""

    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {_SEVERITY_LABEL[self.severity]}: {self.message}"

    @property
    def sort_key(self) -> tuple[str, int, int]:
        """Order by file, then line, errors before warnings on the same line."""
        return (self.path, self.line, 0 if self.severity == "error" else 1)


@dataclass(frozen=True, slots=True)
class ImageFile:
    """An image a course uses, fingerprinted so it can be served with a long cache."""

    rel_path: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class CourseFile:
    """A file a lesson links for download, typed by its content and published by hash."""

    rel_path: str
    sha256: str
    size: int
    kind: str  # XLSX, DOCX or PDF
    mime_type: str


@dataclass(frozen=True, slots=True)
class Choice:
    """One option of a choice question; `key` is stable while the text is unchanged."""

    key: str
    text: str
    html: str
    correct: bool
    feedback_html: str | None
    line: int


@dataclass(frozen=True, slots=True)
class NumericAnswer:
    """An accepted number with an absolute tolerance."""

    value: float
    tolerance: float


@dataclass(frozen=True, slots=True)
class Question:
    """A quiz question with its answer key; the key must never reach the browser early."""

    id: str
    kind: QuestionKind
    text_html: str
    points: int
    choices: tuple[Choice, ...]
    short_answers: tuple[str, ...]
    numeric_answers: tuple[NumericAnswer, ...]
    explanation_html: str | None
    line: int
    content_hash: str
    lesson: str | None = None  # id of the lesson it checks (`lesson=`), for test-out reviews


@dataclass(frozen=True, slots=True)
class Lesson:
    """A reading page of a course."""

    id: str
    title: str
    minutes: int | None
    html: str
    source_path: str
    position: int
    line: int
    content_hash: str
    images: tuple[str, ...]

    @property
    def kind(self) -> Literal["lesson"]:
        """Tell lessons from quizzes without isinstance checks in templates."""
        return "lesson"


@dataclass(frozen=True, slots=True)
class Quiz:
    """A graded set of questions that is one item of a course."""

    id: str
    title: str
    pass_mark: int
    max_attempts: int
    shuffle: bool
    intro_html: str
    questions: tuple[Question, ...]
    source_path: str
    position: int
    line: int
    content_hash: str

    @property
    def kind(self) -> Literal["quiz"]:
        """Tell quizzes from lessons without isinstance checks in templates."""
        return "quiz"

    @property
    def total_points(self) -> int:
        """Sum the points of every question, the denominator of a score."""
        return sum(q.points for q in self.questions)


Item = Lesson | Quiz


@dataclass(frozen=True, slots=True)
class Domain:
    """One domain of the competency framework, in the framework's order."""

    id: str
    name: str
    position: int
    line: int


@dataclass(frozen=True, slots=True)
class Framework:
    """The competency framework every course's `competencies:` is checked against."""

    path: str
    domains: tuple[Domain, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """The domain ids, in order."""
        return tuple(domain.id for domain in self.domains)


@dataclass(frozen=True, slots=True)
class Course:
    """A course folder after validation: metadata, ordered items and the images it uses."""

    id: str
    title: str
    description: str
    minutes: int | None
    required: bool
    status: CourseStatus
    competencies: tuple[str, ...]
    language: str
    intro_html: str
    folder: str
    items: tuple[Item, ...]
    content_hash: str
    images: tuple[ImageFile, ...]
    files: tuple[CourseFile, ...] = ()
    test_out: bool = False

    @property
    def final_quiz(self) -> Quiz | None:
        """The quiz that ends the course, the one `test_out` lets a learner take first."""
        last = self.items[-1] if self.items else None
        return last if isinstance(last, Quiz) else None


@dataclass(frozen=True, slots=True)
class LoadResult:
    """Every course that loaded cleanly, plus every problem found in the collection."""

    courses: tuple[Course, ...]
    problems: tuple[Problem, ...]
    framework: Framework | None = None
    folders: int = 0  # course folders found, broken ones included

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems that block publishing."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems worth fixing that do not block publishing."""
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when nothing blocks publishing."""
        return not self.errors
