from django.urls import path

from lophoc.views import (
    attendance,
    certificate_layout,
    certificates,
    courses,
    documents,
    grade_sheet,
    grades,
    imports,
    timetable,
    trainee_history,
)

app_name = "lophoc"
urlpatterns = [
    # Classes: list, class page, open/edit, status, enrolment
    path("", courses.course_list, name="course_list"),
    path("moi/", courses.course_create, name="course_create"),
    path("<int:pk>/", courses.course_detail, name="course_detail"),
    # The quality of teaching in the class (issue 17): evaluation, lesson plans, observations…
    path("<int:pk>/chat-luong/", courses.course_quality, name="course_quality"),
    path("<int:pk>/sua/", courses.course_edit, name="course_edit"),
    path("<int:pk>/chuyen-de/", courses.course_topics, name="course_topics"),
    path("<int:pk>/bai-kiem-tra/", courses.course_assessments, name="course_assessments"),
    path("<int:pk>/trang-thai/", courses.course_transition, name="course_transition"),
    path(
        "<int:pk>/trang-thai/<str:target>/",
        courses.course_transition_confirm,
        name="course_transition_confirm",
    ),
    path("<int:pk>/ghi-danh/", courses.enrolment_add, name="enrolment_add"),
    path("ghi-danh/<int:pk>/thoi-hoc/", courses.enrolment_withdraw, name="enrolment_withdraw"),
    # Timetable: sessions, the bulk timetable, a lecturer's timetable and calendar feed
    path("<int:pk>/buoi-hoc/them/", timetable.session_create, name="session_create"),
    path("buoi-hoc/<int:pk>/sua/", timetable.session_edit, name="session_edit"),
    path("buoi-hoc/<int:pk>/xoa/", timetable.session_delete, name="session_delete"),
    path("<int:pk>/thoi-khoa-bieu/lap/", timetable.timetable_bulk, name="timetable_bulk"),
    path("lich-giang-day/", timetable.my_timetable, name="my_timetable"),
    path(
        "lich-giang-day/giang-vien/<int:pk>/",
        timetable.lecturer_timetable,
        name="lecturer_timetable",
    ),
    path(
        "lich-giang-day/giang-vien/<int:pk>/doi-duong-dan/",
        timetable.calendar_rotate,
        name="calendar_rotate",
    ),
    path("lich/<str:token>.ics", timetable.calendar_feed, name="calendar_feed"),
    # Attendance
    path("buoi-hoc/<int:pk>/diem-danh/", attendance.attendance_edit, name="attendance_edit"),
    # Nominee list import: upload → preview → confirm
    path("<int:pk>/nhap-danh-sach/", imports.import_upload, name="import_upload"),
    path("<int:pk>/nhap-danh-sach/xem-truoc/", imports.import_preview, name="import_preview"),
    path("<int:pk>/nhap-danh-sach/xac-nhan/", imports.import_confirm, name="import_confirm"),
    path("<int:pk>/nhap-danh-sach/huy/", imports.import_cancel, name="import_cancel"),
    path("mau-danh-sach-hoc-vien/", imports.import_template, name="import_template"),
    # A class's documents (lists, sign-in sheets…)
    path(
        "<int:pk>/tai-lieu/<slug:document>.<slug:fmt>",
        documents.course_document,
        name="course_document",
    ),
    # Grades: the grid, submitting and returning, the overview
    path("<int:pk>/diem/", grades.grade_grid, name="grade_grid"),
    path("<int:pk>/diem/nop/", grades.grade_submit_confirm, name="grade_submit_confirm"),
    path("<int:pk>/diem/nop/xac-nhan/", grades.grade_submit, name="grade_submit"),
    path("<int:pk>/diem/lich-su/", grades.grade_history, name="grade_history"),
    path(
        "bai-kiem-tra/<int:pk>/tra-lai/",
        grades.grade_return_confirm,
        name="grade_return_confirm",
    ),
    path("bai-kiem-tra/<int:pk>/tra-lai/xac-nhan/", grades.grade_return, name="grade_return"),
    path("cham-diem/", grades.grading_overview, name="grading_overview"),
    # Grade sheet: download, upload → preview → confirm
    path(
        "<int:pk>/diem/bang-diem.xlsx",
        grade_sheet.grade_sheet_download,
        name="grade_sheet_download",
    ),
    path(
        "<int:pk>/diem/nhap-bang-diem/",
        grade_sheet.grade_sheet_upload,
        name="grade_sheet_upload",
    ),
    path(
        "<int:pk>/diem/nhap-bang-diem/xem-truoc/",
        grade_sheet.grade_sheet_preview,
        name="grade_sheet_preview",
    ),
    path(
        "<int:pk>/diem/nhap-bang-diem/xac-nhan/",
        grade_sheet.grade_sheet_confirm,
        name="grade_sheet_confirm",
    ),
    path(
        "<int:pk>/diem/nhap-bang-diem/huy/",
        grade_sheet.grade_sheet_cancel,
        name="grade_sheet_cancel",
    ),
    # Certificates: the register, issuing, printing, voiding and re-issuing
    path(
        "so-cap-giay-chung-nhan/",
        certificates.certificate_register,
        name="certificate_register",
    ),
    path(
        "so-cap-giay-chung-nhan/<int:year>.<str:fmt>",
        certificates.certificate_register_download,
        name="certificate_register_download",
    ),
    path(
        "<int:pk>/giay-chung-nhan/cap/",
        certificates.course_certificates_issue,
        name="course_certificates_issue",
    ),
    path(
        "<int:pk>/giay-chung-nhan.pdf",
        certificates.course_certificates_pdf,
        name="course_certificates_pdf",
    ),
    path(
        "<int:pk>/giay-chung-nhan/ban-da-ky/",
        certificates.course_certificates_upload,
        name="course_certificates_upload",
    ),
    path(
        "giay-chung-nhan/<int:pk>/ban-in.pdf",
        certificates.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "giay-chung-nhan/<int:pk>/thu-hoi/",
        certificates.certificate_void,
        name="certificate_void",
    ),
    path(
        "giay-chung-nhan/<int:pk>/cap-lai/",
        certificates.certificate_reissue,
        name="certificate_reissue",
    ),
    # The centre's certificate layout
    path(
        "mau-giay-chung-nhan/",
        certificate_layout.certificate_layout,
        name="certificate_layout",
    ),
    path(
        "mau-giay-chung-nhan/trang-can-chinh.pdf",
        certificate_layout.certificate_calibration,
        name="certificate_calibration",
    ),
    path(
        "mau-giay-chung-nhan/mau.pdf",
        certificate_layout.certificate_sample,
        name="certificate_sample",
    ),
    # A trainee's training history
    path(
        "hoc-vien/<int:pk>/qua-trinh-boi-duong.pdf",
        trainee_history.trainee_history_pdf,
        name="trainee_history_pdf",
    ),
]
