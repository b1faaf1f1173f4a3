from django.urls import path  # noqa: F401

app_name = "dugio"

urlpatterns: list = []
