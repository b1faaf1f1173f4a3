from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from trungtam.forms import LoginForm
from trungtam.models import SignedDocument, SignedKind, SignedSource
from trungtam.scoping import Right, require, visible
from trungtam.signing import signing_status
from trungtam.signing.config import PKCS11, PKCS12, current_config


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)


METHOD_NAMES = {
    PKCS12: "Tệp PKCS#12 (.p12/.pfx) trên máy chủ",
    PKCS11: "USB token / HSM qua PKCS#11",
}


@login_required
@require_GET
def signing_page(request):
    """What signing the environment configures and what is missing (issue 18), and how many
    signed copies are kept: for those who manage users and centres (Right.USERS)."""
    require(request.user, Right.USERS)
    status = signing_status()
    rows = (
        visible(request.user, SignedDocument.objects.all())
        .values("kind", "source")
        .annotate(total=Count("pk"))
        .order_by()
    )
    counts = {kind: {"server": 0, "uploaded": 0} for kind in SignedKind.values}
    for row in rows:
        counts[row["kind"]]["server" if row["source"] == SignedSource.SERVER else "uploaded"] += (
            row["total"]
        )
    kinds = [
        {"label": label, **counts[value], "total": sum(counts[value].values())}
        for value, label in SignedKind.choices
    ]
    return render(
        request,
        "trungtam/signing_status.html",
        {
            "status": status,
            "method_name": METHOD_NAMES.get(status.method, ""),
            "days_left": (status.valid_until - timezone.localdate()).days
            if status.valid_until
            else None,
            "trust_roots": current_config().trust_roots,
            "kinds": kinds,
            "kept_total": sum(kind["total"] for kind in kinds),
            "crumbs": [("Chữ ký số", None)],
        },
    )
