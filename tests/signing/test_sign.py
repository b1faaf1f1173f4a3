"""sign_pdf with the centre's PKCS#12: PAdES, the visible box, and refusals before signing."""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from trungtam.signing import SigningRefused, sign_pdf, signing_session, verify_pdf
from trungtam.signing import sign as sign_module

from .pki import pkcs12_settings, small_pdf


def signature_annotations(content: bytes, page: int = 0) -> list:
    annotations = PdfReader(BytesIO(content)).pages[page].get("/Annots") or []
    return [a.get_object() for a in annotations if a.get_object().get("/FT") == "/Sig"]


def appearance_text(annotation) -> str:
    """The text of a signature box's appearance, read as a PDF reader draws it."""
    writer = PdfWriter()
    page = writer.add_blank_page(600, 800)
    appearance = annotation["/AP"]["/N"].get_object().clone(writer)
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/XObject"): DictionaryObject(
                {NameObject("/Sig"): appearance.indirect_reference}
            )
        }
    )
    contents = DecodedStreamObject()
    contents.set_data(b"q /Sig Do Q")
    page[NameObject("/Contents")] = writer._add_object(contents)
    return page.extract_text()


def test_it_signs_and_the_signature_verifies(centre_key, unsigned_pdf):
    signed = sign_pdf(unsigned_pdf, reason="Cấp giấy chứng nhận", location="Phú Lợi")

    result = verify_pdf(signed)

    assert result.valid, result.problems
    assert result.signed and result.intact and result.trusted and result.covers_whole_file
    assert result.signer == "Trung tâm Chính trị phường Phú Lợi, Thành ủy Thủ Dầu Một"
    now = datetime.datetime.now(datetime.UTC)
    assert abs(result.signed_at - now) < datetime.timedelta(minutes=1)
    assert result.signed_revision == signed
    assert result.problems == []


def test_it_is_pades_with_reason_and_location(centre_key, unsigned_pdf):
    signed = sign_pdf(unsigned_pdf, reason="Cấp giấy chứng nhận", location="Phú Lợi")

    sig = PdfReader(BytesIO(signed)).get_fields()["ChuKySo1"]["/V"]

    assert sig["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sig["/Reason"] == "Cấp giấy chứng nhận"
    assert sig["/Location"] == "Phú Lợi"
    assert signed.startswith(unsigned_pdf), "an incremental update keeps the built bytes"


def test_the_visible_box_says_who_and_when_in_vietnamese(centre_key, unsigned_pdf):
    signed = sign_pdf(unsigned_pdf, reason="r", location="l", box=(340, 60, 560, 120))

    (annotation,) = signature_annotations(signed)
    text = appearance_text(annotation)

    assert [float(v) for v in annotation["/Rect"]] == [340, 60, 560, 120]
    assert "Người ký: Trung tâm Chính trị phường Phú Lợi" in text
    assert f"Ngày ký: {timezone.localdate():%d/%m/%Y} " in text


def test_without_a_box_it_goes_to_the_bottom_right_of_the_page(centre_key):
    signed = sign_pdf(small_pdf(pages=2), reason="r", location="l", page=-1)

    (annotation,) = signature_annotations(signed, page=1)
    x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])

    assert x2 > 500 and y1 < 100 and x2 - x1 > 100
    assert signature_annotations(signed, page=0) == []


def test_invisible_signature_has_no_box(settings, signing_pki, unsigned_pdf):
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12, APPEARANCE="invisible")

    signed = sign_pdf(unsigned_pdf, reason="r", location="l", box=(340, 60, 560, 120))

    (annotation,) = signature_annotations(signed)
    x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
    assert (x2 - x1) * (y2 - y1) == 0
    assert verify_pdf(signed).valid


def test_a_second_signature_keeps_the_first_valid(centre_key, unsigned_pdf):
    once = sign_pdf(unsigned_pdf, reason="Giám đốc ký", location="l")
    twice = sign_pdf(once, reason="Đóng dấu", location="l", box=(60, 60, 280, 120))

    result = verify_pdf(twice)

    assert result.valid, result.problems
    assert [check.field_name for check in result.signatures] == ["ChuKySo1", "ChuKySo2"]
    assert result.signatures[0].signed_revision == once
    assert not result.signatures[0].covers_whole_file


def test_many_documents_in_one_session(centre_key, unsigned_pdf):
    with signing_session() as session:
        signed = [session.sign(unsigned_pdf, reason="r", location="l") for _ in range(3)]

    assert all(verify_pdf(content).valid for content in signed)
    assert len(set(signed)) == 3, "the signing time is inside, so each is new bytes"


@pytest.mark.parametrize(
    ("p12", "expected"),
    [
        ("expired_p12", "đã hết hạn ngày"),
        ("not_yet_valid_p12", "chưa có hiệu lực (hiệu lực từ"),
        ("encipher_only_p12", "không được phép dùng để ký"),
        ("server_only_p12", "chỉ dành cho mục đích khác (xác thực máy chủ web (TLS))"),
    ],
)
def test_an_unfit_certificate_is_refused_before_signing(
    settings, signing_pki, unsigned_pdf, monkeypatch, p12, expected
):
    settings.SIGNING = pkcs12_settings(getattr(signing_pki, p12))

    def must_not_sign(*args, **kwargs):
        raise AssertionError("signed with an unfit certificate")

    monkeypatch.setattr(sign_module.SigningSession, "sign", must_not_sign)
    with pytest.raises(SigningRefused) as refused:
        sign_pdf(unsigned_pdf, reason="r", location="l")

    assert expected in refused.value.message


def test_a_missing_key_file_is_refused(settings, signing_pki, unsigned_pdf):
    settings.SIGNING = pkcs12_settings(signing_pki.directory / "khong-co.p12")

    with pytest.raises(SigningRefused) as refused:
        sign_pdf(unsigned_pdf, reason="r", location="l")

    assert "Không đọc được tệp khóa" in refused.value.message
    assert "SIGNING_PKCS12_PATH" in refused.value.message


def test_a_wrong_password_is_refused_without_showing_it(settings, signing_pki, unsigned_pdf):
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12, PKCS12_PASSWORD="sai-mat-khau-123")

    with pytest.raises(SigningRefused) as refused:
        sign_pdf(unsigned_pdf, reason="r", location="l")

    assert "sai mật khẩu (SIGNING_PKCS12_PASSWORD)" in refused.value.message
    assert "sai-mat-khau-123" not in str(refused.value)
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


def test_nothing_configured_refuses_with_the_missing_variable(settings, unsigned_pdf):
    settings.SIGNING = {}

    with pytest.raises(SigningRefused) as refused:
        sign_pdf(unsigned_pdf, reason="r", location="l")

    assert "SIGNING_PKCS12_PATH" in refused.value.message


def test_a_file_that_is_not_a_pdf_is_refused(centre_key):
    with pytest.raises(SigningRefused) as refused:
        sign_pdf(b"not a pdf at all", reason="r", location="l")

    assert "không phải PDF" in refused.value.message


def test_the_stamp_font_is_in_thousandths_of_an_em_so_its_text_is_not_letter_spaced():
    """pyHanko writes glyph widths in the font's units, PDF reads thousandths of an em: Tinos
    (2048 per em) printed the stamp letter-spaced and cut off; the stamp uses a scaled copy."""
    from fontTools.ttLib import TTFont

    from trungtam.signing.sign import STAMP_FONT, stamp_font

    original, scaled = TTFont(STAMP_FONT), TTFont(stamp_font())
    assert original["head"].unitsPerEm == 2048 and scaled["head"].unitsPerEm == 1000
    width = original["hmtx"]["N"][0]
    assert abs(scaled["hmtx"]["N"][0] - width * 1000 / 2048) <= 1
    assert stamp_font() == stamp_font()  # made once, then reused


def test_it_signs_and_verifies_in_a_thread_where_an_event_loop_runs(centre_key, unsigned_pdf):
    # pyHanko's synchronous calls start an event loop of their own; a browser driven from the same
    # thread (the tests) or an async server has one running already.
    import asyncio

    async def inside_a_running_loop():
        signed = sign_pdf(unsigned_pdf, reason="Thử", location="Phú Lợi")
        return signed, verify_pdf(signed)

    signed, result = asyncio.run(inside_a_running_loop())
    assert result.valid, result.problems
    assert result.signatures[0].signer
