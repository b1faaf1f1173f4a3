"""Irreversible actions ask first, in a real browser under the app's security policy (PostgreSQL
run only): the policy refuses inline handlers, so the question comes from static/js/confirm.js.
Declining sends nothing; agreeing does the action."""

import pytest
from playwright.sync_api import expect

from tailieu.materials import material_add_version
from tests import builders
from tests.e2e.pages import sign_in
from tests.tailieu.helpers import make_material, small_pdf
from trungtam.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_removing_a_version_asks_first(live_server, browser, artifacts):
    centre = builders.make_centre()
    staff = builders.make_user(role=Role.STAFF, centre=centre, username="canbo")
    material = make_material(builders.make_program(centre), title="Bài giảng")
    material_add_version(
        material=material, content=small_pdf("Ban 2"), filename="ban-2.pdf", user=staff
    )
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    sign_in(context, live_server, staff)
    page = context.new_page()
    page.set_default_timeout(15000)
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.goto(f"{live_server.url}/tai-lieu/{material.pk}/")
    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Gỡ phiên bản 2").click()
    expect(page.get_by_role("button", name="Gỡ phiên bản 2")).to_be_visible()
    assert material.versions.count() == 2  # declined: nothing sent

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Gỡ phiên bản 2").click()
    expect(page.get_by_text("Đã gỡ phiên bản 2")).to_be_visible()
    page.screenshot(path=artifacts / "tai-lieu-go-phien-ban.png", full_page=True)
    context.close()
    assert (
        questions == ["Gỡ phiên bản 2 (ban-2.pdf)? Tệp này sẽ bị xóa và không khôi phục được."] * 2
    )
    assert list(material.versions.values_list("number", flat=True)) == [1]
