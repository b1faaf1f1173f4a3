"""manage.py seed_demo: the demo data set of DESIGN §9 (two centres, two years)."""

import time

from django.core.management.base import BaseCommand
from django.db.models import Count

from giangvien.models import Lecturer
from hocvien.models import Trainee, Unit
from lophoc.models import Attendance, Course, CourseStatus, Enrolment, Program, Score, Session
from trungtam.devtools.demo import SCALES, seed_demo
from trungtam.devtools.demo.accounts import (
    ACCOUNT_HEADERS,
    DEMO_ACCOUNTS,
    demo_accounts_table,
    format_table,
)
from trungtam.documents.numbers import format_number
from trungtam.models import Centre, User
from trungtam.reports.models import AnnualPlan


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu: hai trung tâm (một trung tâm cấp huyện cũ, sắp xếp lại từ 01/7/2025, "
        "và một trung tâm cấp xã) trong năm nay và năm trước, với chương trình, lớp học ở mọi "
        "trạng thái, đơn vị, giảng viên, học viên, điểm danh, điểm, kết quả, kế hoạch năm và "
        "tài khoản mẫu cho mọi vai trò. Chạy lại không thay đổi gì: trung tâm mẫu đã có thì bỏ qua."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=SCALES,
            default="demo",
            help="Quy mô: «small» (vài lớp, chạy nhanh, dùng cho kiểm thử) hoặc «demo» "
            "(mặc định: khoảng 35 lớp mỗi năm, 2.500 học viên)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Chỉ tạo khi cơ sở dữ liệu chưa có trung tâm nào; nếu đã có thì không làm gì",
        )

    def handle(self, *args, scale, if_empty, **options):
        if if_empty and Centre.objects.exists():
            self.stdout.write(
                f"Cơ sở dữ liệu đã có {format_number(Centre.objects.count())} trung tâm; "
                "không tạo dữ liệu mẫu."
            )
            return
        started = time.monotonic()
        result = seed_demo(scale=scale)
        names = dict(Centre.objects.values_list("code", "name"))
        for code in result.existing:
            self.stdout.write(f"Trung tâm mẫu {code} «{names[code]}» đã có; bỏ qua, không ghi gì.")
        if not result.created and not result.accounts:
            self.stdout.write("Dữ liệu mẫu đã có đủ; không có gì mới để ghi.")
            return
        for code in result.created:
            self.stdout.write(self.style.SUCCESS(f"Đã tạo trung tâm mẫu {code} «{names[code]}»."))
        self.stdout.write("")
        self.print_summary(result.created)
        self.stdout.write("")
        self.stdout.write(
            "Tài khoản mẫu (cùng một mật khẩu; hãy xóa hoặc đổi trước khi dùng thật):"
        )
        users = User.objects.filter(
            username__in=[a.username for a in DEMO_ACCOUNTS]
        ).select_related("centre")
        self.stdout.write(format_table(demo_accounts_table(users), ACCOUNT_HEADERS))
        self.stdout.write("")
        self.stdout.write(f"Thời gian: {time.monotonic() - started:.1f} giây (quy mô «{scale}»).")

    def print_summary(self, codes):
        centres = sorted(Centre.objects.filter(code__in=codes), key=lambda c: codes.index(c.code))
        rows = []
        figures = [
            ("Chương trình", Program, "centre"),
            ("Đơn vị", Unit, "centre"),
            ("Giảng viên", Lecturer, "centre"),
            ("Học viên", Trainee, "centre"),
            ("Lớp học", Course, "centre"),
            ("Buổi học", Session, "course__centre"),
            ("Lượt ghi danh", Enrolment, "course__centre"),
            ("Lượt điểm danh", Attendance, "session__course__centre"),
            ("Điểm", Score, "enrolment__course__centre"),
            ("Kế hoạch năm", AnnualPlan, "centre"),
        ]
        for label, model, lookup in figures:
            counts = [model.objects.filter(**{lookup: centre}).count() for centre in centres]
            rows.append((label, *map(format_number, counts), format_number(sum(counts))))
        by_status = dict(
            Course.objects.filter(centre__in=centres)
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by()
        )
        for status in CourseStatus:
            counts = [
                Course.objects.filter(centre=centre, status=status).count() for centre in centres
            ]
            rows.append(
                (
                    f"  lớp «{status.label}»",
                    *map(format_number, counts),
                    format_number(by_status.get(status.value, 0)),
                )
            )
        headers = ("", *(centre.code for centre in centres), "Cộng")
        self.stdout.write(format_table(rows, headers))
