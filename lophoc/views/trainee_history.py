"""Quá trình bồi dưỡng of one trainee as a PDF, linked from the trainee's page (DESIGN §6).

The trainee's page belongs to hocvien, which never names lophoc (DESIGN §3): this view and its
URL live here, under the trainee's path, and only the page's template links to it — as it
already links each class. Access follows the trainee's page: those who manage trainee records
(staff, admins; officials and lecturers get 403), other centres' records do not exist (404).
The download is logged like every export of personal data.
"""

from django.contrib.auth.decorators import login_required

from hocvien.models import Trainee
from lophoc.documents.trainee_history import trainee_history_document
from trungtam.documents.downloads import personal_data_download
from trungtam.scoping import Right, get_visible_or_404, require


@login_required
def trainee_history_pdf(request, pk: int):
    require(request.user, Right.MANAGE)
    trainee = get_visible_or_404(
        request.user, Trainee.objects.select_related("centre", "unit"), pk=pk
    )
    document = trainee_history_document(trainee, maker_name=request.user.full_name)
    return personal_data_download(
        request,
        content=document.content,
        filename=document.filename,
        description=document.description,
        centre=trainee.centre,
        rows=document.rows,
    )
