"""A trainee's classes in their personal data (DESIGN §8b): the class sheets of the export, and
what deleting the person checks, counts and removes in the classes.

`hocvien.personal_data` owns the record, its export and its deletion; it may not name this app,
so this part is registered with it (`lophoc.hooks`). The rules are those of that module's
docstring: any certificate, or an enrolment in a closed class, keeps the person from being
deleted; otherwise their attendance, scores and enrolments go, with every history row of them.
"""

from django.db.models import Case, Q, QuerySet, When

from hocvien.models import Trainee
from hocvien.personal_data import DeletionPlan, PersonalDataPart, write_table
from lophoc.models import (
    Attendance,
    Certificate,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Score,
)
from trungtam.documents.xlsx import SafeWorkbook

# Morning, afternoon, evening: the order of a day, not of the stored codes.
PART_ORDER = Case(
    When(session__part="morning", then=0),
    When(session__part="afternoon", then=1),
    default=2,
)


def _result(enrolment: Enrolment) -> str:
    if enrolment.passed:
        return "Hoàn thành"
    if enrolment.passed is False:
        return "Không hoàn thành"
    return ""


def class_sheets(book: SafeWorkbook, trainee: Trainee) -> None:
    """The classes, scores, attendance and certificates sheets of the person's export."""
    enrolments = list(
        trainee.enrolments.select_related("course", "course__program", "unit")
        .prefetch_related("certificates")
        .order_by("course__start_date", "pk")
    )
    ids = [enrolment.pk for enrolment in enrolments]
    write_table(
        book.sheet("Quá trình bồi dưỡng"),
        "QUÁ TRÌNH BỒI DƯỠNG",
        [
            "STT",
            "Mã lớp",
            "Tên lớp",
            "Chương trình",
            "Từ ngày",
            "Đến ngày",
            "Tình trạng lớp",
            "Đơn vị cử đi học",
            "Chức vụ khi học",
            "Tình trạng học viên",
            "Lý do",
            "Số tiết",
            "Số tiết vắng",
            "Trong đó có phép",
            "Điểm tổng kết",
            "Xếp loại",
            "Kết quả",
        ],
        [
            [
                number,
                e.course.code,
                e.course.name,
                e.course.program.name,
                e.course.start_date,
                e.course.end_date,
                e.course.get_status_display(),
                e.unit.name if e.unit_id else "",
                e.position,
                # An enrolment with nothing to report: the class's status says it all.
                "" if e.status == EnrolmentStatus.ACTIVE else e.get_status_display(),
                e.status_reason,
                e.scheduled_periods,
                e.absent_periods,
                e.excused_periods,
                e.final_score,
                e.get_classification_display(),
                _result(e),
            ]
            for number, e in enumerate(enrolments, start=1)
        ],
        [6, 16, 36, 36, 12, 12, 16, 28, 22, 20, 24, 9, 9, 9, 10, 12, 16],
        "Chưa học lớp nào.",
    )

    scores = []
    attendance = []
    if enrolments:
        scores = list(
            Score._base_manager.filter(enrolment_id__in=ids)
            .select_related("enrolment__course", "assessment")
            .order_by("enrolment__course__start_date", "assessment__order", "pk")
        )
        attendance = list(
            Attendance._base_manager.filter(enrolment_id__in=ids)
            .select_related("session", "session__course")
            .order_by("session__date", PART_ORDER, "session__start_time", "pk")
        )
    write_table(
        book.sheet("Điểm"),
        "ĐIỂM CÁC BÀI KIỂM TRA",
        ["STT", "Mã lớp", "Bài kiểm tra", "Hệ số", "Điểm", "Điểm thi lại"],
        [
            [
                number,
                s.enrolment.course.code,
                s.assessment.name,
                s.assessment.weight,
                s.score,
                s.retake_score,
            ]
            for number, s in enumerate(scores, start=1)
        ],
        [6, 16, 40, 8, 8, 12],
        "Chưa có điểm nào.",
    )
    write_table(
        book.sheet("Điểm danh"),
        "ĐIỂM DANH TỪNG BUỔI HỌC",
        ["STT", "Mã lớp", "Ngày", "Buổi", "Số tiết", "Điểm danh", "Đã học bù", "Ghi chú"],
        [
            [
                number,
                a.session.course.code,
                a.session.date,
                a.session.get_part_display(),
                a.session.periods,
                a.get_status_display(),
                "Có" if a.made_up else "",
                a.note,
            ]
            for number, a in enumerate(attendance, start=1)
        ],
        [6, 16, 12, 8, 8, 18, 10, 30],
        "Chưa có điểm danh nào.",
    )
    certificates = [c for e in enrolments for c in e.certificates.all()]
    certificates.sort(key=lambda c: (c.issued_on, c.pk))
    write_table(
        book.sheet("Giấy chứng nhận"),
        "GIẤY CHỨNG NHẬN",
        [
            "STT",
            "Số giấy chứng nhận",
            "Số vào sổ",
            "Ngày cấp",
            "Mã lớp",
            "Tên lớp",
            "Điểm",
            "Xếp loại",
            "Tình trạng",
            "Lý do thu hồi",
            "Lý do cấp lại",
            "Mã xác thực",
        ],
        [
            [
                number,
                c.number,
                c.register_number,
                c.issued_on,
                c.course_code,
                c.course_name,
                c.final_score,
                c.get_classification_display(),
                c.get_status_display(),
                c.void_reason,
                c.reissue_reason,
                c.verification_code,
            ]
            for number, c in enumerate(certificates, start=1)
        ],
        [6, 20, 14, 12, 16, 36, 8, 12, 16, 24, 24, 14],
        "Chưa được cấp giấy chứng nhận nào.",
    )


# --- deletion ---------------------------------------------------------------------------------


def _enrolment_dependants():
    """(model, foreign key name) of every kind of row that hangs on an enrolment."""
    return [
        (relation.related_model, relation.field.name)
        for relation in Enrolment._meta.related_objects
        if relation.one_to_many or relation.one_to_one
    ]


def deletion_check(trainee: Trainee, plan: DeletionPlan) -> None:
    """Refusals (a certificate, a closed class) and the counts of what would go; writes nothing."""
    enrolments = list(trainee.enrolments.select_related("course"))
    ids = [e.pk for e in enrolments]
    for model, fk_name in _enrolment_dependants():
        rows = model._base_manager.filter(**{f"{fk_name}__in": ids})
        if model is Certificate:
            numbers = list(rows.order_by("issued_on", "pk").values_list("number", flat=True))
            if numbers:
                plan.refusals.append(
                    f"Học viên đã được cấp giấy chứng nhận số {', '.join(numbers)}. Giấy chứng "
                    "nhận (kể cả giấy đã thu hồi hoặc đã cấp lại) phải tra cứu được về sau, nên "
                    "hồ sơ này không xóa được. Nếu thông tin sai, hãy dùng «Sửa hồ sơ» để điều "
                    "chỉnh."
                )
        elif model is Attendance:
            plan.attendance = rows.count()
        elif model is Score:
            plan.scores = rows.count()
    closed = [e.course for e in enrolments if e.course.status == CourseStatus.CLOSED]
    if closed:
        names = "; ".join(f"{c.code} – {c.name}" for c in sorted(closed, key=lambda c: c.code))
        plan.refusals.append(
            f"Học viên có tên trong lớp đã kết thúc: {names}. Danh sách kết quả, thông báo kết quả "
            "và báo cáo năm của lớp đã kết thúc phải giữ nguyên (kể cả khi học viên không được "
            "cấp giấy chứng nhận), nên hồ sơ này không xóa được."
        )
    plan.enrolments = len(ids)


def lock_classes(trainee: Trainee) -> None:
    """Lock the person's classes: one being closed at this moment waits, or is seen closed."""
    list(
        Course._base_manager.select_for_update()
        .filter(pk__in=trainee.enrolments.values("course_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def history_rows(trainee: Trainee, person_ids: set[int]) -> list[QuerySet]:
    """The history rows of the person's enrolments and of everything hung on them. Rows of an
    enrolment later moved to another person stay with that person, except the rows that still
    name this one (`person_ids`: the record and the duplicates merged into it)."""
    own = set(trainee.enrolments.values_list("pk", flat=True))
    enrolment_history = Enrolment.history.model
    named = set(
        enrolment_history.objects.filter(trainee_id__in=person_ids).values_list("id", flat=True)
    )
    live_elsewhere = set(
        Enrolment._base_manager.filter(pk__in=named - own).values_list("pk", flat=True)
    )
    enrolment_ids = own | (named - live_elsewhere)
    querysets = [
        enrolment_history.objects.filter(Q(id__in=enrolment_ids) | Q(trainee_id__in=person_ids)),
    ]
    for model, fk_name in _enrolment_dependants():
        if hasattr(model, "history"):
            querysets.append(
                model.history.model.objects.filter(**{f"{fk_name}_id__in": enrolment_ids})
            )
    return querysets


def delete_enrolments(trainee: Trainee) -> None:
    """The person's attendance, scores and enrolments. Certificates are never deleted: one issued
    meanwhile stops the deletion (PROTECT raises ProtectedError, which the caller reports)."""
    ids = list(trainee.enrolments.values_list("pk", flat=True))
    for model, fk_name in _enrolment_dependants():
        if model is not Certificate:
            model._base_manager.filter(**{f"{fk_name}__in": ids}).delete()
    Enrolment._base_manager.filter(pk__in=ids).delete()


PART = PersonalDataPart(
    relation="enrolments",
    sheets=class_sheets,
    check=deletion_check,
    lock=lock_classes,
    history=history_rows,
    delete=delete_enrolments,
)
