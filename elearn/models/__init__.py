"""All tables in one package: progress, reports and admin all refer to users and units."""

from elearn.models.admin import (
    Announcement,
    AnnouncementDismissal,
    Assignment,
    ManualReminder,
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
from elearn.models.progress import (
    AppliedEvent,
    AttemptGrant,
    CourseProgress,
    LessonCompletion,
    QuizAttempt,
    RequiredCompletion,
)
from elearn.models.rollup import CompletionRollup, CourseRollup, DomainRollup, PeopleRollup
from elearn.models.user import (
    CATEGORIES,
    OFFICIAL_CATEGORIES,
    ROLES,
    ApiToken,
    LoginThrottle,
    User,
    UserSession,
    counted_officials,
)

__all__ = [
    "CATEGORIES",
    "OFFICIAL_CATEGORIES",
    "ROLES",
    "UNIT_KINDS",
    "Announcement",
    "AppliedEvent",
    "AnnouncementDismissal",
    "ApiToken",
    "AttemptGrant",
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
    "DomainRollup",
    "LessonCompletion",
    "ManualReminder",
    "MediaFile",
    "Notice",
    "PeopleRollup",
    "Question",
    "QuizAttempt",
    "ReminderSent",
    "RequiredCompletion",
    "LoginThrottle",
    "Unit",
    "User",
    "UserSession",
    "counted_officials",
]
