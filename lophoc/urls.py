from lophoc.views import attendance, courses, documents, grade_sheet, grades, imports, timetable

app_name = "lophoc"
urlpatterns = [
    *courses.urlpatterns,
    *timetable.urlpatterns,
    *attendance.urlpatterns,
    *imports.urlpatterns,
    *documents.urlpatterns,
    *grades.urlpatterns,
    *grade_sheet.urlpatterns,
]
