"""PAdES B-T (issue 18): with SIGNING_TSA_URL set, the signature carries a timestamp from that
server. The server here is a real HTTP endpoint on the loopback answering RFC 3161 requests with
the test PKI's timestamp authority (pyHanko's DummyTimeStamper behind http.server)."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import keys, tsp, x509
from cryptography.hazmat.primitives import serialization

from lophoc.verification import time_source
from trungtam.signing import SigningRefused, sign_pdf, verify_pdf

from . import pki
from .pki import pkcs12_settings


def _asn1(identity: pki.Identity):
    certificate = x509.Certificate.load(
        identity.certificate.public_bytes(serialization.Encoding.DER)
    )
    key = keys.PrivateKeyInfo.load(
        identity.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate, key


@pytest.fixture(scope="module")
def tsa_url(signing_pki):
    yield from _tsa_server(signing_pki.root)


@pytest.fixture(scope="module")
def untrusted_tsa_url():
    """A timestamp server whose authority chains to a root the centre does not trust."""
    yield from _tsa_server(pki.make_root("Other TSA Root (trungtam)"))


def _tsa_server(authority_root: pki.Identity):
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    certificate, key = _asn1(pki.timestamp_authority(authority_root))
    root, _ = _asn1(authority_root)
    stamper = DummyTimeStamper(tsa_cert=certificate, tsa_key=key, certs_to_embed=[root])
    requests_seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests_seen.append(self.headers.get("Content-Type"))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa", requests_seen
    server.shutdown()
    server.server_close()


def test_with_a_timestamp_server_the_signature_is_timestamped(
    settings, signing_pki, unsigned_pdf, tsa_url
):
    url, requests_seen = tsa_url
    before = len(requests_seen)
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12, TSA_URL=url)
    signed = sign_pdf(unsigned_pdf, reason="Thử", location="Phú Lợi")
    # pyHanko asks once more beforehand, to size the signature's placeholder.
    assert len(requests_seen) > before
    assert requests_seen[-1] == "application/timestamp-query"
    result = verify_pdf(signed)
    assert result.valid, result.problems
    assert result.signatures[0].timestamped and result.timestamped
    assert "dấu thời gian" in time_source(result) and "đồng hồ" not in time_source(result)


def test_a_timestamp_from_an_untrusted_authority_gives_no_time_of_its_own(
    settings, signing_pki, unsigned_pdf, untrusted_tsa_url
):
    """The time shown comes from a timestamp only when its authority is trusted; otherwise it is
    the time the signer's computer claimed, as for a signature without a timestamp."""
    url, _ = untrusted_tsa_url
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12, TSA_URL=url)
    signed = sign_pdf(unsigned_pdf, reason="Thử", location="Phú Lợi")
    result = verify_pdf(signed)
    check = result.signatures[0]
    assert not check.timestamped
    assert check.signed_at is not None and result.signed_at == check.signed_at
    assert result.valid and not result.timestamped  # the signature itself is sound
    assert "đồng hồ máy tính của người ký" in time_source(result)


def test_without_a_timestamp_server_the_signature_has_no_timestamp(centre_key, unsigned_pdf):
    result = verify_pdf(sign_pdf(unsigned_pdf, reason="Thử", location="Phú Lợi"))
    assert result.valid
    assert not result.signatures[0].timestamped


def test_a_timestamp_server_that_does_not_answer_refuses_the_signing(
    settings, signing_pki, unsigned_pdf
):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/tsa"
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12, TSA_URL=url)
    with pytest.raises(SigningRefused) as refusal:
        sign_pdf(unsigned_pdf, reason="Thử", location="Phú Lợi")
    assert "SIGNING_TSA_URL" in str(refusal.value) and url in str(refusal.value)
