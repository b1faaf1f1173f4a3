"""manage.py export_course: a class's documents as PDF or XLSX (DESIGN §9)."""

from lophoc.commands import add_course_arguments, find_course, require_command_user
from lophoc.documents import (
    DOCUMENT_FORMATS,
    DOCUMENTS,
    FORMATS,
    DocumentRefused,
    build_course_document,
)
from trungtam.commands import (
    BadData,
    ContractCommand,
    WrongUsage,
    add_format_argument,
    add_output_argument,
    add_user_argument,
    atomic_write,
    command_user,
)
from trungtam.documents.downloads import log_export
from trungtam.scoping import Right

COMMAND = "export_course"


class Command(ContractCommand):
    help = (
        "Xuất tài liệu của một lớp học ra tệp PDF (để in) hoặc XLSX (để sửa tiếp): "
        "danh sách học viên (enrolment), bảng điểm danh (attendance), bảng điểm (grades; bản "
        "XLSX là bảng điểm để nhập điểm rồi đưa vào bằng import_grades), kết quả học tập "
        "(results) và thông báo kết quả gửi các đơn vị (notices, chỉ PDF; mỗi đơn vị một trang "
        "riêng). Kết quả học tập và thông báo kết quả chỉ có sau khi lớp đã tính kết quả. Tệp "
        "được ghi qua tệp tạm rồi đổi tên, nên khi có lỗi không để lại tệp dở dang. Mỗi lần xuất "
        "được ghi vào nhật ký xuất dữ liệu cá nhân. Mã thoát: 0 thành công, 1 dữ liệu sai (không "
        "có lớp, mã lớp trùng ở nhiều trung tâm, lớp chưa tính kết quả), 2 dùng lệnh sai."
    )

    def add_arguments(self, parser):
        add_course_arguments(parser)
        parser.add_argument(
            "--document",
            required=True,
            choices=list(DOCUMENTS),
            help="Tài liệu: enrolment (danh sách học viên), attendance (bảng điểm danh), "
            "grades (bảng điểm), results (kết quả học tập), notices (thông báo kết quả gửi đơn "
            "vị, chỉ PDF)",
        )
        add_format_argument(parser, FORMATS)
        add_output_argument(parser)
        add_user_argument(parser, COMMAND, "Người xuất, ghi vào nhật ký và ký «Người lập biểu»")

    def handle(self, *args, course, centre, document, format, output, user, **options):
        if format not in DOCUMENT_FORMATS[document]:
            raise WrongUsage(
                f"Tài liệu «{DOCUMENTS[document][1]}» ({document}) chỉ xuất được dạng "
                f"{', '.join(DOCUMENT_FORMATS[document])}."
            )
        exporter = command_user(user, COMMAND)
        found = find_course(course, centre)
        if user:
            require_command_user(exporter, found, Right.IMPORT_EXPORT, "xuất tài liệu của")
        try:
            built = build_course_document(
                found, document, format, maker_name=exporter.full_name if user else ""
            )
        except DocumentRefused as refused:
            raise BadData(str(refused)) from None
        path = atomic_write(output, built.content)
        log_export(
            user=exporter,
            description=built.description,
            filename=path.name,
            centre=found.centre,
            rows=built.rows,
        )
        self.stdout.write(str(path))
