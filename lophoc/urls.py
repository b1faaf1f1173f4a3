from lophoc.views import attendance, courses, documents, imports, timetable

app_name = "lophoc"
urlpatterns = [
    *courses.urlpatterns,
    *timetable.urlpatterns,
    *attendance.urlpatterns,
    *imports.urlpatterns,
    *documents.urlpatterns,
]
