"""manage.py unit_account: a login for a sending unit's liaison, with a one-time password."""

from django.core.exceptions import ValidationError

from hocvien.accounts import unit_account_create
from hocvien.models import Unit
from trungtam.commands import BadData, ContractCommand, add_user_argument, command_user
from trungtam.text import search_key

COMMAND = "unit_account"


class Command(ContractCommand):
    help = (
        "Tạo tài khoản cho cán bộ của một đơn vị gửi học viên (vai trò «Cán bộ đơn vị»): tài "
        "khoản chỉ xem học viên của đơn vị mình và các đơn vị trực thuộc, trả lời thông báo chiêu "
        "sinh và phiếu khảo sát nhu cầu. In ra mật khẩu dùng một lần; hãy trao cho cán bộ và dặn "
        "đổi mật khẩu khi đăng nhập lần đầu. Mã thoát: 0 thành công, 1 dữ liệu sai (không có đơn "
        "vị, tên đơn vị trùng ở nhiều trung tâm, tên đăng nhập đã có), 2 dùng lệnh sai."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP", help="Tên đăng nhập mới")
        parser.add_argument(
            "--unit", required=True, metavar="TÊN_ĐƠN_VỊ", help="Tên đơn vị, như trong danh mục"
        )
        parser.add_argument(
            "--centre", metavar="MÃ", help="Mã trung tâm (bắt buộc khi tên đơn vị có ở nhiều nơi)"
        )
        parser.add_argument(
            "--full-name", default="", metavar="HỌ_TÊN", help="Họ tên cán bộ (mặc định: tên đơn vị)"
        )
        add_user_argument(parser, COMMAND, "Người tạo, ghi vào lịch sử")

    def handle(self, *args, username, unit, centre, full_name, user, **options):
        units = Unit.objects.select_related("centre").filter(search_key=search_key(unit))
        if centre:
            units = units.filter(centre__code__iexact=centre)
        found = list(units[:10])
        where = f" ở trung tâm {centre}" if centre else ""
        if not found:
            raise BadData(f"Không có đơn vị «{unit}»{where}.")
        if len(found) > 1:
            centres = ", ".join(sorted(u.centre.code for u in found))
            raise BadData(
                f"Có {len(found)} đơn vị tên «{unit}» (trung tâm {centres}): hãy thêm --centre MÃ."
            )
        try:
            login, password = unit_account_create(
                unit=found[0],
                full_name=full_name or found[0].name,
                username=username,
                created_by=command_user(user, COMMAND),
            )
        except ValidationError as error:
            raise BadData(*error.messages) from None
        self.stdout.write(f"Đã tạo tài khoản {login.username} cho {found[0].name}.")
        self.stdout.write(f"Mật khẩu dùng một lần: {password}")
