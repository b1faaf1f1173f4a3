from django.apps import AppConfig


class HocvienConfig(AppConfig):
    name = "hocvien"
    verbose_name = "Đơn vị và học viên"

    def ready(self):
        from hocvien.units import units_answered_by
        from trungtam.scoping import unit_scope

        unit_scope.register(units_answered_by)
        from trungtam.backup import register_key_rows

        register_key_rows(
            "hocvien.trainee",
            "id",
            "centre_id",
            "full_name",
            "date_of_birth",
            "gender",
            "national_id",
            "ethnicity",
            "religion",
            "is_party_member",
            "party_joined_on",
            "unit_id",
        )
