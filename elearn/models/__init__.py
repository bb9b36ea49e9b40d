"""All tables in one package: progress, reports and admin all refer to users and units."""

from elearn.models.admin import (
    Announcement,
    AnnouncementDismissal,
    Assignment,
    Notice,
    ReminderSent,
)
from elearn.models.audit import AuditEvent
from elearn.models.course import (
    Competency,
    ContentSync,
    Course,
    CourseCompetency,
    CourseItem,
    MediaFile,
    Question,
)
from elearn.models.org import UNIT_KINDS, Unit
from elearn.models.progress import CourseProgress, LessonCompletion, QuizAttempt
from elearn.models.rollup import CompletionRollup, CourseRollup, PeopleRollup
from elearn.models.user import CATEGORIES, ROLES, ApiToken, LoginThrottle, User, UserSession

__all__ = [
    "CATEGORIES",
    "ROLES",
    "UNIT_KINDS",
    "Announcement",
    "AnnouncementDismissal",
    "ApiToken",
    "Competency",
    "CompletionRollup",
    "Assignment",
    "AuditEvent",
    "ContentSync",
    "Course",
    "CourseCompetency",
    "CourseItem",
    "CourseProgress",
    "CourseRollup",
    "LessonCompletion",
    "MediaFile",
    "Notice",
    "PeopleRollup",
    "Question",
    "QuizAttempt",
    "ReminderSent",
    "LoginThrottle",
    "Unit",
    "User",
    "UserSession",
]
