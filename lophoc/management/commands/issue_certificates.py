"""manage.py issue_certificates: issue what is missing and write the class's certificates (DESIGN §9)."""

import datetime

from django.db import transaction

from lophoc.certificates import CertificateRefused, certificates_issue, signers_for
from lophoc.commands import add_course_arguments, find_course
from lophoc.models import Certificate, CertificateStatus
from trungtam.commands import (
    BadData,
    ContractCommand,
    WrongUsage,
    add_output_argument,
    add_user_argument,
    atomic_write,
    command_user,
)
from trungtam.documents.downloads import log_export
from trungtam.models import LeaderRole
from trungtam.signing import SigningRefused

COMMAND = "issue_certificates"
SIGNER_ROLES = {
    "director": [LeaderRole.DIRECTOR, LeaderRole.ACTING_DIRECTOR, LeaderRole.DEPUTY_IN_CHARGE],
    "deputy": [LeaderRole.DEPUTY],
}
SIGNER_NAMES = {
    "director": "Giám đốc (hoặc Quyền Giám đốc, Phó Giám đốc phụ trách)",
    "deputy": "Phó Giám đốc",
}


class Command(ContractCommand):
    help = (
        "Cấp giấy chứng nhận cho mọi học viên hoàn thành khóa học của một lớp đã kết thúc mà "
        "chưa có giấy còn hiệu lực, rồi ghi tệp PDF gồm mọi giấy chứng nhận còn hiệu lực của lớp "
        "(mỗi giấy một trang). Chạy lại không cấp thêm giấy nào. Tệp được ghi qua tệp tạm rồi "
        "đổi tên. Mã thoát: 0 thành công, 1 dữ liệu sai (không có lớp, lớp chưa kết thúc, lớp "
        "không do trung tâm cấp giấy, chưa ghi người ký, ngày cấp trước ngày bế giảng, chưa đặt "
        "PUBLIC_BASE_URL là địa chỉ công khai; với --sign: chưa cấu hình được chữ ký số), 2 "
        "dùng lệnh sai."
    )

    def add_arguments(self, parser):
        add_course_arguments(parser)
        parser.add_argument(
            "--signer",
            choices=list(SIGNER_ROLES),
            default="director",
            help="Người ký: director (Giám đốc, mặc định) hoặc deputy (Phó Giám đốc ký thay Giám "
            "đốc: K/T theo thể thức Đảng, KT. theo thể thức nhà nước)",
        )
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="Ngày cấp (mặc định: hôm nay); không được trước ngày bế giảng của lớp",
        )
        parser.add_argument(
            "--sign",
            action="store_true",
            help="Ký số tệp giấy chứng nhận của lớp và từng giấy chứng nhận bằng chứng thư số cấu "
            "hình trong biến môi trường (SIGNING_PKCS12_* hoặc SIGNING_PKCS11_*); bản đã ký được "
            "lưu và tệp ghi ra là bản đã ký. Thiếu chứng thư dùng được: không cấp gì, mã thoát 1",
        )
        add_output_argument(parser, "Tệp PDF sẽ ghi ra")
        add_user_argument(parser, COMMAND, "Người cấp, ghi vào lịch sử")

    def handle(self, *args, course, centre, signer, date, output, user, sign=False, **options):
        from lophoc import certificate_signing
        from lophoc.documents.certificates import certificates_pdf

        issued_on = _date(date)
        issuer = command_user(user, COMMAND)
        found = find_course(course, centre)
        if sign:
            # Refused before anything is issued: a key that cannot sign is found out first.
            refusal = certificate_signing.signing_refusal()
            if refusal:
                raise BadData(f"Không ký số được: {refusal}")
        leaders = [x for x in signers_for(found.centre) if x.role in SIGNER_ROLES[signer]]
        if not leaders:
            raise BadData(
                f"Trung tâm «{found.centre.name}» chưa ghi {SIGNER_NAMES[signer]} đương nhiệm "
                "để ký giấy chứng nhận."
            )
        with transaction.atomic():
            try:
                issued = certificates_issue(
                    course=found, user=issuer, signer=leaders[0], issued_on=issued_on
                )
            except CertificateRefused as refused:
                raise BadData(*refused.messages) from None
            certificates = list(
                Certificate.objects.filter(enrolment__course=found, status=CertificateStatus.VALID)
                .select_related("centre")
                .order_by("year", "sequence")
            )
            if not certificates:
                raise BadData(
                    f"Lớp «{found.code}» không có học viên nào hoàn thành khóa học để cấp giấy "
                    "chứng nhận."
                )
            if not sign:
                path = atomic_write(output, certificates_pdf(certificates))
        signed_count = already = 0
        if sign:
            try:
                signed_count, already = certificate_signing.sign_course_certificates(
                    course=found, certificates=certificates, user=issuer
                )
            except SigningRefused as refused:
                raise BadData(
                    f"Đã cấp {len(issued)} giấy mới nhưng không ký số được: {refused.message}"
                ) from None
            path = atomic_write(
                output,
                certificate_signing.class_certificates_delivered(
                    course=found, certificates=certificates, user=issuer
                ),
            )
        log_export(
            user=issuer,
            description=f"Giấy chứng nhận lớp {found.code}",
            filename=path.name,
            centre=found.centre,
            rows=len(certificates),
        )
        for certificate in issued:
            self.stdout.write(f"Đã cấp số {certificate.number}: {certificate.full_name}")
        self.stdout.write(
            f"Đã cấp {len(issued)} giấy mới; tệp gồm {len(certificates)} giấy: {path}"
        )
        if sign:
            self.stdout.write(
                f"Đã ký số {signed_count} tệp (tệp của lớp và từng giấy chứng nhận); "
                f"{already} tệp đã có bản ký số từ trước."
            )


def _date(text: str | None) -> datetime.date:
    if not text:
        from django.utils import timezone

        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise WrongUsage(
            f"--date «{text}» không phải ngày hợp lệ; hãy viết dạng YYYY-MM-DD, ví dụ 2026-04-10."
        ) from None
