from giangvien import views

app_name = "giangvien"
urlpatterns = views.urlpatterns
