"""Production settings: `check --deploy` is clean, the secret key comes from the environment,
DEBUG is off unless asked, HTTPS (also behind a proxy), the plain-HTTP office mode and the
headers every page carries."""

import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory, override_settings
from django.urls import reverse

from trungtam.settings.proxy import client_ip

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "k3Yq7-production-like-key-aZ91mXw0pLr5tQv8sN2bC6dF4gH1jK0uE7yT3iO9"


def run(args, **env):
    """A fresh interpreter with only the given deployment variables (no DEBUG unless given)."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "trungtam.settings.base", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**env):
    return {
        "SECRET_KEY": PRODUCTION_KEY,
        "ALLOWED_HOSTS": "trungtam.example.vn",
        "PUBLIC_BASE_URL": "https://trungtam.example.vn",
        **env,
    }


def deploy_check(**env):
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)


SHOW_SETTINGS = """
import json
from django.conf import settings
import django
django.setup()
names = [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER",
    "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST",
    "PASSWORD_HASHERS", "PROXY_COUNT", "CONTENT_SECURITY_POLICY",
]
print(json.dumps({name: getattr(settings, name, None) for name in names}, default=str))
"""


def settings_under(**env) -> dict:
    return _settings_under(tuple(sorted(env.items())))


@functools.cache
def _settings_under(env: tuple) -> dict:
    result = run(["-c", SHOW_SETTINGS], **dict(env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deploy_check_passes_without_warnings_in_production():
    result = deploy_check(**production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_passes_behind_a_proxy_that_redirects_to_https_itself():
    result = deploy_check(**production(BEHIND_PROXY="1", PROXY_COUNT="1", SECURE_SSL_REDIRECT="0"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_names_the_risks_of_the_plain_http_office_mode():
    result = deploy_check(**production(HTTPS="0"))
    assert result.returncode == 1
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr  # no HSTS, no redirect, cookies sent over plain HTTP


def test_a_production_start_without_secret_key_is_refused():
    result = run(["manage.py", "check"], ALLOWED_HOSTS="trungtam.example.vn")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_an_empty_secret_key_is_refused_too():
    result = run(["manage.py", "check"], SECRET_KEY="", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked():
    assert settings_under(**production())["DEBUG"] is False
    development = settings_under(DEBUG="1")  # no SECRET_KEY needed on a development machine
    assert development["DEBUG"] is True
    assert development["SESSION_COOKIE_SECURE"] is False


def test_a_mistyped_switch_is_an_error_not_a_silent_default():
    result = run(["manage.py", "check"], **production(DEBUG="maybe"))
    assert result.returncode != 0
    assert "DEBUG='maybe'" in result.stderr


def test_production_values():
    values = settings_under(**production())
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # nothing trusted without BEHIND_PROXY
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert values["SESSION_SAVE_EVERY_REQUEST"] is True
    assert values["PROXY_COUNT"] == 0


def test_the_content_security_policy_stays_strict():
    directives = settings_under(**production())["CONTENT_SECURITY_POLICY"]
    text = json.dumps(directives)
    assert "unsafe-inline" not in text and "unsafe-eval" not in text and "*" not in text
    assert "http:" not in text and "https:" not in text  # nothing from other hosts (no CDN)


# What the policy above makes the browser ignore: the markup must not rely on it.
INLINE_CODE = re.compile(
    r"""\son[a-z]+\s*=|\sstyle\s*=|<script(?![^>]*\ssrc=)[^>]*>""", re.IGNORECASE
)


def test_no_template_relies_on_inline_script_or_style_the_policy_refuses():
    """An onsubmit="return confirm(…)" or style="min-width…" is silently ignored under
    script-src/style-src 'self': the question never shows, the column never widens. Questions go
    in data-confirm (static/js/confirm.js), sizes in classes (static/css/app.css)."""
    root = Path(django_settings.BASE_DIR) / "templates"
    found = [
        f"{path.relative_to(root)}:{number}: {match.group(0).strip()}"
        for path in sorted(root.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in INLINE_CODE.finditer(line)
    ]
    assert not found, "\n".join(found)


def test_behind_a_proxy_https_is_read_from_the_proxy_header():
    values = settings_under(**production(BEHIND_PROXY="1"))
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["PROXY_COUNT"] == 1
    assert values["SECURE_SSL_REDIRECT"] is True
    assert settings_under(**production(BEHIND_PROXY="1", PROXY_COUNT="2"))["PROXY_COUNT"] == 2


def test_office_mode_turns_secure_cookies_hsts_and_redirect_off():
    values = settings_under(**production(HTTPS="0"))
    assert values["SESSION_COOKIE_SECURE"] is False and values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False and values["SECURE_HSTS_SECONDS"] == 0


def test_session_age_comes_from_the_environment():
    assert settings_under(**production(SESSION_COOKIE_AGE="1800"))["SESSION_COOKIE_AGE"] == 1800
    result = run(["manage.py", "check"], **production(SESSION_COOKIE_AGE="5"))
    assert result.returncode != 0 and "SESSION_COOKIE_AGE=5" in result.stderr


# --- the same, seen from a browser -------------------------------------------------------------

HTTPS_ON = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


@pytest.mark.django_db
@override_settings(**HTTPS_ON)
def test_plain_http_is_redirected_and_https_gets_hsts(client):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver" + reverse("login")
    secure = client.get(reverse("login"), secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
    assert secure.cookies["csrftoken"]["secure"]


@pytest.mark.django_db
@override_settings(**HTTPS_ON, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_a_proxy_the_forwarded_scheme_counts(client):
    response = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200 and "Strict-Transport-Security" in response
    assert client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="http").status_code == 301


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy and "form-action 'self'" in policy


# --- the client's address behind proxies --------------------------------------------------------


def request_from(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(PROXY_COUNT=0)
def test_without_proxy_the_forwarded_header_is_ignored():
    assert client_ip(request_from("203.0.113.9", forwarded="198.51.100.1")) == "203.0.113.9"


@override_settings(PROXY_COUNT=1)
def test_with_one_proxy_the_address_it_appended_is_the_client():
    assert client_ip(request_from(forwarded="203.0.113.5")) == "203.0.113.5"
    # What the browser put in front is not believed.
    assert client_ip(request_from(forwarded="6.6.6.6, 203.0.113.5")) == "203.0.113.5"
    assert client_ip(request_from(forwarded=" 2001:db8::7 ")) == "2001:db8::7"


@override_settings(PROXY_COUNT=2)
def test_with_two_proxies_the_outer_ones_entry_is_the_client():
    assert client_ip(request_from(forwarded="6.6.6.6, 203.0.113.5, 10.0.0.1")) == "203.0.113.5"


@override_settings(PROXY_COUNT=1)
def test_a_missing_or_broken_header_falls_back_to_the_connection():
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"
    assert client_ip(request_from("10.0.0.2", forwarded="")) == "10.0.0.2"
    assert client_ip(request_from("10.0.0.2", forwarded="not-an-address")) == "10.0.0.2"
