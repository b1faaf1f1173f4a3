"""Programs, classes and everything that happens in them.

One module per area; every public name is re-exported here so that `from lophoc.models import X`
reads the same wherever the model lives.
"""

# isort: off
# In the order the models were always registered (the admin, backups and history read that order).
from .catalogue import (
    DEFAULT_ABSENCE_LIMIT,
    DEFAULT_CERTIFICATE_WORDING,
    WORDING_PLACEHOLDERS,
    CertificateIssuer,
    Program,
    ProgramAssessment,
    ProgramSystem,
    ProgramTopic,
    validate_certificate_wording,
)
from .course import (
    COURSE_TRANSITIONS,
    Course,
    CourseQuerySet,
    CourseStatus,
    CourseStatusChange,
    TransitionRefused,
    Venue,
)
from .timetable import Session, SessionKind, SessionPart, Topic, topic_key
from .enrolment import (
    Attendance,
    AttendanceStatus,
    Classification,
    Enrolment,
    EnrolmentStatus,
)
from .grading import SCORE_VALIDATORS, Assessment, Score
from .certificate import (
    Certificate,
    CertificateCounter,
    CertificateStatus,
    VerificationFailure,
)
# isort: on

__all__ = [
    "COURSE_TRANSITIONS",
    "DEFAULT_ABSENCE_LIMIT",
    "DEFAULT_CERTIFICATE_WORDING",
    "SCORE_VALIDATORS",
    "WORDING_PLACEHOLDERS",
    "Assessment",
    "Attendance",
    "AttendanceStatus",
    "Certificate",
    "CertificateCounter",
    "CertificateIssuer",
    "CertificateStatus",
    "Classification",
    "Course",
    "CourseQuerySet",
    "CourseStatus",
    "CourseStatusChange",
    "Enrolment",
    "EnrolmentStatus",
    "Program",
    "ProgramAssessment",
    "ProgramSystem",
    "ProgramTopic",
    "Score",
    "Session",
    "SessionKind",
    "SessionPart",
    "Topic",
    "topic_key",
    "TransitionRefused",
    "Venue",
    "VerificationFailure",
    "validate_certificate_wording",
]
