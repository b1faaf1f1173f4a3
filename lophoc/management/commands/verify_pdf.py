"""manage.py verify_pdf FILE: the check page's answer about a signed PDF, on the command line."""

from pathlib import Path

from lophoc.verification import pdf_check, pdf_check_lines
from trungtam.commands import BadData, ContractCommand, WrongUsage
from trungtam.signing.verify import NOT_A_PDF


class Command(ContractCommand):
    help = (
        "Kiểm tra chữ ký số của một tệp PDF như trang xác thực công khai (/xac-thuc/): chữ ký "
        "hợp lệ hay không và vì sao, người ký, thời điểm ký, tệp có phải văn bản do trung tâm "
        "phát hành (khớp bản đã ký số được lưu) và loại văn bản; với giấy chứng nhận, tình trạng "
        "của giấy. Mã thoát: 0 chữ ký hợp lệ trên văn bản do phần mềm phát hành, 1 trường hợp "
        "khác (kể cả tệp không đọc được là PDF), 2 dùng lệnh sai (thiếu tệp, tệp không tồn tại)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="TỆP", help="Tệp PDF cần kiểm tra")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.exists():
            raise WrongUsage(f"Không có tệp «{file}».")
        if not path.is_file():
            raise WrongUsage(f"«{file}» không phải một tệp.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise WrongUsage(f"Không đọc được tệp «{file}»: {error.strerror}.") from None
        check = pdf_check(data)
        if NOT_A_PDF in check.verification.problems:
            raise BadData(f"«{file}»: {NOT_A_PDF}")
        self.stdout.write(f"Tệp: {file}")
        for line in pdf_check_lines(check):
            self.stdout.write(line)
        if not check.valid:
            raise BadData("Kết luận: chữ ký số không hợp lệ.")
        if not check.issued_here:
            raise BadData(
                "Kết luận: chữ ký hợp lệ nhưng tệp không phải văn bản do phần mềm này phát hành."
            )
        self.stdout.write("Kết luận: chữ ký số hợp lệ trên văn bản do trung tâm phát hành.")
