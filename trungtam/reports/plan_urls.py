"""URLs of the plan pages (included from trungtam/urls.py under the app namespace "reports")."""

urlpatterns: list = []
