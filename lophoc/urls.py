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
    *courses.urlpatterns,
    *timetable.urlpatterns,
    *attendance.urlpatterns,
    *imports.urlpatterns,
    *documents.urlpatterns,
    *grades.urlpatterns,
    *grade_sheet.urlpatterns,
    *certificates.urlpatterns,
    *certificate_layout.urlpatterns,
    *trainee_history.urlpatterns,
]
