"""manage.py evaluation_codes: the slips of single-use evaluation codes of a class (issue 17)."""

from danhgia import evaluations, slips
from lophoc.commands import add_course_arguments, find_course
from trungtam.commands import BadData, ContractCommand, add_output_argument, atomic_write


class Command(ContractCommand):
    help = (
        "In phiếu mã đánh giá khóa học của một lớp ra tệp PDF (A4, nhiều phiếu một trang, có "
        "đường cắt): mỗi học viên đang học một phiếu có mã dùng một lần và mã QR mở phiếu đánh "
        "giá. Chạy lại thì chỉ bổ sung mã còn thiếu, không tạo trùng; tệp in các mã chưa dùng. "
        "Mã không gắn với người học. Mã thoát: 0 thành công, 1 không có lớp hoặc lớp không in "
        "được phiếu (đã hủy, chưa có học viên đang học, mọi mã đã dùng), 2 dùng lệnh sai."
    )

    def add_arguments(self, parser):
        add_course_arguments(parser)
        add_output_argument(parser)

    def handle(self, *args, course, centre, output, **options):
        found = find_course(course, centre)
        try:
            codes = evaluations.codes_top_up(course=found)
        except evaluations.EvaluationRefused as refused:
            raise BadData(*refused.messages) from None
        if not codes:
            raise BadData(f"Mọi mã phiếu của lớp {found.code} đã được dùng: không còn phiếu để in.")
        path = atomic_write(output, slips.slips_pdf(found, codes))
        self.stdout.write(f"Đã ghi {len(codes)} phiếu mã của lớp {found.code} vào {path}")
