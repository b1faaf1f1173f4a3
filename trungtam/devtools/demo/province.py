"""The province level of the demo: the body that reads every centre's figures and issues the
all-centres report (a `ReportIssuer`, as an admin of the province sets it in the admin), and last
year's all-centres report written from the figures, numbered and dated but not yet sent — so the
demo shows the draft (DỰ THẢO) and the send page's confirmation."""

import datetime

from trungtam.models import Centre, DocumentLayout, ReportIssuer, User
from trungtam.reports.models import AllCentresReport
from trungtam.reports.yearly import report_centres
from trungtam.reports.yearly_all import (
    RECOMMENDATIONS_PLACEHOLDER,
    all_centres_content,
    all_report_for,
    all_report_save,
)

# Plausible, as the demo's places are (trungtam/devtools/demo/places.py): since 1/7/2025 both demo
# centres sit in Thành phố Hồ Chí Minh.
ISSUER = {
    # As the Thành ủy's own documents abbreviate it, so the header keeps to one line.
    "parent_body": "Thành ủy TP. Hồ Chí Minh",
    "name": "Ban Tuyên giáo và Dân vận",
    "short_name": "BTGDVTU",
    "place_name": "TP. Hồ Chí Minh",
    "document_layout": DocumentLayout.PARTY,
    "addressee": "Ban Thường vụ Thành ủy",
    "recipients": "\n".join(
        [
            "Ban Thường vụ Thành ủy (để báo cáo)",
            "Ban Tuyên giáo và Dân vận Trung ương (để báo cáo)",
            "Các trung tâm chính trị xã, phường, đặc khu",
            "Lưu Văn phòng",
        ]
    ),
    "signer_title": "K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN",
    "signer_name": "Nguyễn Thị Minh Phương",
}
RECOMMENDATIONS = (
    "Đề nghị Ban Thường vụ Thành ủy chỉ đạo các đảng ủy xã, phường, đặc khu cử học viên đúng "
    "đối tượng, đủ số lượng theo kế hoạch và bảo đảm kinh phí hoạt động của các trung tâm."
)
GENERAL_CLOSING = (
    "Các trung tâm đã bám sát kế hoạch được phê duyệt, tổ chức các lớp bồi dưỡng bảo đảm nội "
    "dung, chương trình và thời gian theo quy định."
)


def write_demo_province(year: int, user: User | None) -> None:
    """The issuer, if none exists, and the year's all-centres report, if it has none: saved with
    a number, a date and the texts written from the figures (the placeholder answered), unsent.
    Running it twice changes nothing."""
    if not ReportIssuer.objects.exists():
        issuer = ReportIssuer(**ISSUER)
        issuer.full_clean()
        issuer._history_user = user
        issuer.save()
    if AllCentresReport.objects.filter(year=year).exists():
        return
    centres = report_centres(Centre.objects.all(), year)
    if len(centres) < 2:
        return
    generated = all_centres_content(centres, year, report=all_report_for(year))["generated"]
    all_report_save(
        year=year,
        values={
            "number": "27",
            "report_date": datetime.date(year, 12, 20),
            # The centres' reports count to the end of November: so does the roll-up.
            "data_until": datetime.date(year, 11, 30),
            "general_text": generated["general_text"] + "\n" + GENERAL_CLOSING,
            "assessment_text": generated["assessment_text"].replace(
                RECOMMENDATIONS_PLACEHOLDER, RECOMMENDATIONS
            ),
        },
        user=user,
    )
