"""Read a folder of courses from disk into validated objects, reporting every problem at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from elearn.content import messages as msg
from elearn.content.context import CourseContext
from elearn.content.files import CourseFiles
from elearn.content.folder import CourseFolder
from elearn.content.framework import load_framework
from elearn.content.frontmatter import check_id, check_keys, parse_bool
from elearn.content.images import CourseImages
from elearn.content.items import Source, load_item, open_source, read_id, read_minutes
from elearn.content.model import (
    Course,
    CourseStatus,
    Framework,
    Item,
    LoadResult,
    Problem,
    Quiz,
)
from elearn.content.sourcefile import collection_path, content_hash
from elearn.content.tones import mixed_style_warnings
from elearn.content.vntext import slugify

__all__ = ["collection_base", "default_image_url", "load_collection", "load_course"]

COURSE_FILE = "course.md"
COURSE_KEYS = (
    ("id", "title"),
    ("description", "minutes", "required", "status", "competencies", "language", "test_out"),
)
ITEM_NAME = re.compile(r"^(?P<position>\d{1,6})(?:[-_. ].*)?\.md$", re.IGNORECASE)
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

ImageUrl = Callable[[str, str], str]


def default_image_url(course_id: str, rel_path: str) -> str:
    """Write a placeholder media URL; the app may swap it for a fingerprinted one."""
    return f"/media/{course_id}/{rel_path}"


@dataclass(frozen=True, slots=True)
class _CourseMeta:
    """The optional keys of course.md, checked, with their defaults."""

    description: str
    minutes: int | None
    required: bool
    status: CourseStatus
    competencies: tuple[str, ...]
    language: str
    test_out: bool


def _course_meta(src: Source, framework: Framework | None, problems: list[Problem]) -> _CourseMeta:
    """Read and check the optional keys of course.md."""
    fm, rel = src.fm, src.rel
    required, found = parse_bool(fm, "required", False, rel)
    problems.extend(found)
    test_out, found = parse_bool(fm, "test_out", False, rel)
    problems.extend(found)
    status = (fm.raw("status") or "published").strip().lower()
    if status not in ("published", "draft"):
        problems.append(msg.error(rel, fm.line_of("status"), msg.BAD_STATUS, fm.raw("status")))
    language = (fm.raw("language") or "vi").strip()
    if not _LANGUAGE.fullmatch(language):
        problems.append(msg.error(rel, fm.line_of("language"), msg.BAD_LANGUAGE, language))
    tags = [t.strip() for t in (fm.raw("competencies") or "").split(",") if t.strip()]
    line = fm.line_of("competencies")
    for tag in tags:
        if check_id(tag, rel, 0):
            example = ", ".join(slugify(t, 64) or "an-toan" for t in tags)
            problems.append(msg.error(rel, line, msg.BAD_COMPETENCY, tag, example))
        elif framework is not None and tag not in framework.ids:
            known = ", ".join(framework.ids)
            problems.append(
                msg.error(rel, line, msg.UNKNOWN_COMPETENCY, tag, framework.path, known)
            )
    return _CourseMeta(
        description=fm.raw("description") or "",
        minutes=read_minutes(src, problems),
        required=required,
        status="draft" if status == "draft" else "published",
        competencies=tuple(dict.fromkeys(tags)),
        language=language,
        test_out=test_out,
    )


def _item_files(folder: Path, base: Path, problems: list[Problem]) -> list[tuple[int, Path]]:
    """List numbered .md files; warn about unnumbered ones; refuse symlinks."""
    found: list[tuple[int, Path]] = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(".") or name.lower() == COURSE_FILE or not name.lower().endswith(".md"):
            continue
        rel = collection_path(path, base)
        if path.is_symlink():
            problems.append(msg.error(rel, 1, msg.FILE_IS_SYMLINK))
            continue
        if not path.is_file():
            continue
        match = ITEM_NAME.match(name)
        if match is None:
            problems.append(msg.warning(rel, 1, msg.NO_PREFIX, name))
            continue
        found.append((int(match.group("position")), path))
    return found


@dataclass(frozen=True, slots=True)
class _QuizNames:
    """A quiz file's id and title with their lines, for the checks across courses."""

    id: str | None
    id_at: tuple[str, int]
    title: str | None
    title_at: tuple[str, int]


def _items(
    folder: Path, base: Path, ctx: CourseContext, quizzes: list[_QuizNames]
) -> tuple[list[Item], str | None]:
    """Load every lesson and quiz of a course in order, checking positions and ids; add each
    quiz file's names to `quizzes`, broken or not.

    Also returns the declared kind of the last file (`quiz` or `lesson`), broken or not.
    """
    problems = ctx.problems
    by_position: dict[int, str] = {}
    by_id: dict[str, tuple[str, int]] = {}
    items: list[Item] = []
    last: tuple[int, str] | None = None
    for position, path in _item_files(folder, base, problems):
        rel = collection_path(path, base)
        if position in by_position:
            other = by_position[position]
            problems.append(msg.error(rel, 1, msg.DUPLICATE_POSITION, position, other))
            problems.append(msg.error(other, 1, msg.DUPLICATE_POSITION, position, rel))
        by_position.setdefault(position, rel)
        src = open_source(path, rel, problems)
        if src is None:
            continue
        kind = (src.fm.raw("type") or "lesson").strip().lower()
        if last is None or position >= last[0]:
            last = (position, kind)
        item_id = src.fm.raw("id")
        if kind == "quiz":
            fm = src.fm
            at_id, at_title = (rel, fm.line_of("id")), (rel, fm.line_of("title"))
            quizzes.append(_QuizNames(item_id, at_id, fm.raw("title"), at_title))
        if item_id and item_id in by_id:
            other, other_line = by_id[item_id]
            line = src.fm.line_of("id")
            problems.append(msg.error(rel, line, msg.DUPLICATE_ITEM_ID, item_id, other))
            problems.append(msg.error(other, other_line, msg.DUPLICATE_ITEM_ID, item_id, rel))
        elif item_id:
            by_id[item_id] = (rel, src.fm.line_of("id"))
        item = load_item(src, ctx, position)
        if item is not None:
            items.append(item)
    return sorted(items, key=lambda item: item.position), last[1] if last else None


def _question_lessons(items: list[Item], test_out: bool) -> list[Problem]:
    """Check each question's `lesson=` names a lesson of the course; in a test-out course, ask
    every question of the final quiz to name one, since a failed test out sends the learner
    there (without it only the order rule can guess)."""
    lessons = [item.id for item in items if item.kind == "lesson"]
    final = items[-1] if items and items[-1].kind == "quiz" else None
    problems: list[Problem] = []
    for item in items:
        if not isinstance(item, Quiz):
            continue
        for question in item.questions:
            if question.lesson is not None and question.lesson not in lessons:
                known = ", ".join(lessons) or "—"
                problems.append(
                    msg.error(
                        item.source_path,
                        question.line,
                        msg.UNKNOWN_QUESTION_LESSON,
                        question.lesson,
                        known,
                    )
                )
            elif question.lesson is None and test_out and item is final and lessons:
                problems.append(
                    msg.warning(
                        item.source_path,
                        question.line,
                        msg.TEST_OUT_QUESTION_WITHOUT_LESSON,
                        question.id,
                        lessons[0],
                    )
                )
    return problems


@dataclass(slots=True)
class _Loaded:
    """A course folder after loading, with where its id was written."""

    course: Course | None
    problems: list[Problem]
    course_id: str | None
    id_at: tuple[str, int]
    quizzes: list[_QuizNames]


def load_course(
    folder: Path,
    root: Path,
    image_url: ImageUrl | None = None,
    framework: Framework | None = None,
) -> tuple[Course | None, list[Problem]]:
    """Load one course folder; the course is None when any error was found in it.

    Without a framework the `competencies:` tags are checked for form only.
    """
    loaded = _load_course(folder, root, image_url, framework)
    return loaded.course, loaded.problems


def _load_course(
    folder: Path, root: Path, image_url: ImageUrl | None, framework: Framework | None
) -> _Loaded:
    """Load one course folder and remember where its id is, for duplicate checks."""
    rel_folder = collection_path(folder, root)
    course_rel = f"{rel_folder}/{COURSE_FILE}" if rel_folder != "." else COURSE_FILE
    problems: list[Problem] = []
    src = open_source(folder / COURSE_FILE, course_rel, problems)
    course_id: str | None = None
    meta: _CourseMeta | None = None
    if src is not None:
        problems += check_keys(src.fm, course_rel, *COURSE_KEYS, "course.md")
        course_id = read_id(src, problems)
        meta = _course_meta(src, framework, problems)
    on_disk = CourseFolder(folder)
    ctx = CourseContext(
        course_id or folder.name,
        image_url or default_image_url,
        CourseImages(on_disk),
        CourseFiles(on_disk),
        problems,
    )
    intro_html = ""
    if src is not None:
        fc = ctx.file(course_rel, src.text.lines)
        body = "\n".join(src.text.lines[src.fm.body_index :])
        if body.strip():
            intro_html = fc.render(body, (src.fm.body_index + 1, len(src.text.lines)))
    quizzes: list[_QuizNames] = []
    items, last_kind = _items(folder, root, ctx, quizzes)
    problems += mixed_style_warnings(ctx.sources)
    if src is not None and not items and not any(p.severity == "error" for p in problems):
        problems.append(msg.warning(course_rel, 1, msg.EMPTY_COURSE))
    if src is not None and meta is not None and meta.test_out and last_kind != "quiz":
        problems.append(msg.error(course_rel, src.fm.line_of("test_out"), msg.TEST_OUT_NO_QUIZ))
    problems += _question_lessons(items, test_out=meta is not None and meta.test_out)
    id_at = (course_rel, src.fm.line_of("id") if src is not None else 1)
    if (
        src is None
        or meta is None
        or course_id is None
        or any(p.severity == "error" for p in problems)
    ):
        return _Loaded(None, problems, course_id, id_at, quizzes)
    image_files = tuple(sorted(ctx.images.files.values(), key=lambda image: image.rel_path))
    course_files = tuple(sorted(ctx.files.files.values(), key=lambda file: file.rel_path))
    media = [[f"{image.rel_path}:{image.sha256}" for image in image_files]]
    if course_files:  # courses without files keep the hash they had before files existed
        media.append([f"{file.rel_path}:{file.sha256}" for file in course_files])
    course_hash = content_hash(
        src.text.text, [f"{item.kind}:{item.id}:{item.content_hash}" for item in items], *media
    )
    course = Course(
        id=course_id,
        title=src.fm.raw("title") or "",
        description=meta.description,
        minutes=meta.minutes,
        required=meta.required,
        status=meta.status,
        competencies=meta.competencies,
        language=meta.language,
        intro_html=intro_html,
        folder=rel_folder,
        items=tuple(items),
        content_hash=course_hash,
        images=image_files,
        files=course_files,
        test_out=meta.test_out,
    )
    return _Loaded(course, problems, course_id, id_at, quizzes)


def collection_base(root: Path) -> Path:
    """The folder course paths are relative to: `root`, or its parent for one course folder."""
    course_md = root / COURSE_FILE
    return root.parent if course_md.is_file() or course_md.is_symlink() else root


def _course_folders(root: Path, problems: list[Problem]) -> tuple[Path, list[Path], int]:
    """Find course folders; `root` may also be a single course folder itself.

    Returns the collection folder, the course folders to load, and how many course folders
    there are, counting those refused here.
    """
    if collection_base(root) != root:
        return root.parent, [root], 1
    folders: list[Path] = []
    count = 0
    for path in sorted(root.iterdir()):
        if path.name.startswith((".", "_")) or not path.is_dir():
            continue
        count += 1
        rel = collection_path(path, root)
        if path.is_symlink():
            problems.append(msg.error(f"{rel}/{COURSE_FILE}", 1, msg.COURSE_IS_SYMLINK))
        elif not (path / COURSE_FILE).is_file() and not (path / COURSE_FILE).is_symlink():
            problems.append(msg.error(f"{rel}/{COURSE_FILE}", 1, msg.NO_COURSE_MD))
        else:
            folders.append(path)
    return root, folders, count


def load_collection(root: Path, image_url: ImageUrl | None = None) -> LoadResult:
    """Load the framework and every course under `root`; report every problem, sorted."""
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(msg.error(root.as_posix(), 1, msg.NO_COLLECTION, root.as_posix()))
        return LoadResult((), tuple(problems))
    base, folders, count = _course_folders(root, problems)
    framework, found = load_framework(base)
    problems += found
    loaded = [_load_course(folder, base, image_url, framework) for folder in folders]
    for one in loaded:
        problems += one.problems
    duplicated = _duplicate_course_ids(loaded, problems)
    _duplicate_quiz_names(loaded, problems)
    kept = tuple(
        one.course for one in loaded if one.course is not None and one.course_id not in duplicated
    )
    unique = dict.fromkeys(problems)  # keeps first-seen order among equal lines
    ordered = tuple(sorted(unique, key=lambda p: p.sort_key))
    return LoadResult(kept, ordered, framework=framework, folders=count)


def _duplicate_course_ids(loaded: list[_Loaded], problems: list[Problem]) -> set[str]:
    """Report course ids used twice in the collection, on the id line of both files."""
    first: dict[str, tuple[str, int]] = {}
    duplicated: set[str] = set()
    for one in loaded:
        if one.course_id is None:
            continue
        if one.course_id not in first:
            first[one.course_id] = one.id_at
            continue
        duplicated.add(one.course_id)
        (rel, line), (other_rel, other_line) = one.id_at, first[one.course_id]
        problems.append(msg.error(rel, line, msg.DUPLICATE_COURSE_ID, one.course_id, other_rel))
        problems.append(
            msg.error(other_rel, other_line, msg.DUPLICATE_COURSE_ID, one.course_id, rel)
        )
    return duplicated


def _duplicate_quiz_names(loaded: list[_Loaded], problems: list[Problem]) -> None:
    """Warn, on both files, about a quiz id or title that another quiz of the collection has.

    Ids are compared as written and only across courses (inside one course a repeated id is
    already an error); titles ignore case and spacing, since that is how people read them.
    """
    first_id: dict[str, tuple[int, tuple[str, int]]] = {}
    first_title: dict[str, tuple[str, int]] = {}
    for course_index, one in enumerate(loaded):
        for quiz in one.quizzes:
            if quiz.id:
                seen = first_id.setdefault(quiz.id, (course_index, quiz.id_at))
                if seen[0] != course_index:
                    _warn_both(problems, msg.DUPLICATE_QUIZ_ID, quiz.id, quiz.id_at, seen[1])
            title = " ".join((quiz.title or "").split())
            if title:
                seen_at = first_title.setdefault(title.casefold(), quiz.title_at)
                if seen_at != quiz.title_at:
                    _warn_both(problems, msg.DUPLICATE_QUIZ_TITLE, title, quiz.title_at, seen_at)


def _warn_both(
    problems: list[Problem], template: str, name: str, at: tuple[str, int], other: tuple[str, int]
) -> None:
    """A warning on each of two files that share `name`, each naming the other file."""
    problems.append(msg.warning(at[0], at[1], template, name, other[0]))
    problems.append(msg.warning(other[0], other[1], template, name, at[0]))
