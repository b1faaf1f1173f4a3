from hocvien import views

app_name = "hocvien"
urlpatterns = views.urlpatterns
