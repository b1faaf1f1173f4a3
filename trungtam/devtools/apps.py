from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "trungtam.devtools"
    label = "devtools"
    verbose_name = "Công cụ phát triển (dữ liệu mẫu, đo hiệu năng)"
