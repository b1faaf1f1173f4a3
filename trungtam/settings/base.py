"""Settings for trungtam. Every deployment value comes from the environment (see .env.example)."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random SECRET_KEY in the environment "
            "(set DEBUG=1 only on a development machine)."
        )
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "trungtam.views.csrf_failure"
# History is read in the admin, never written back from it.
SIMPLE_HISTORY_REVERT_DISABLED = True
# The public address printed in certificates' QR codes. Only a development machine gets a local
# default; in production `check --deploy` fails (trungtam.E010) and issuing is refused while it
# is unset or a loopback address (trungtam/checks.py).
PUBLIC_BASE_URL = envstr("PUBLIC_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "").strip()
PUBLIC_BASE_URL = PUBLIC_BASE_URL.rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "trungtam",
    "hocvien",
    "giangvien",
    "lophoc",
    "thongbao",
    "chieusinh",
    "khaosat",
    "danhgia",
    "hieuqua",
    "giaoan",
    "dugio",
    "tailieu",
    "donvi",
    "trungtam.reports",
    "trungtam.devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Oversize bodies (413) and NUL or over-long query values (400), before any view reads them.
    "trungtam.middleware.RequestGuardMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trungtam.urls"
WSGI_APPLICATION = "trungtam.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trungtam.context_processors.navigation",
            ],
            "builtins": ["trungtam.templatetags.vn"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "trungtam.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "trungtam.auth_backends.UserBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's validators with Vietnamese messages (its vi translation misses some of them).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "trungtam.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "trungtam.password_validation.MinimumLengthValidator"},
    {"NAME": "trungtam.password_validation.CommonPasswordValidator"},
    {"NAME": "trungtam.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Saved on every request, so the age counts from the last request: a session ends after this
# many seconds of inactivity (an office PC left logged in overnight is logged out by morning).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
if SESSION_COOKIE_AGE < 60:
    raise ImproperlyConfigured(f"SESSION_COOKIE_AGE={SESSION_COOKIE_AGE}: expected seconds, >= 60")

# Many centres share one public address: throttle on user name and address together.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address is the one the trusted proxies report (trungtam.settings.proxy), never a header
# a browser could forge.
AXES_CLIENT_IP_CALLABLE = "trungtam.settings.proxy.client_ip"

LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["trungtam.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A grade grid posts three fields per cell (value, original, version): a class of 500 trainees with
# ten score columns is ~12 500 fields, far above Django's default of 1 000 (which refuses the save).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A body declaring more than this (Content-Length) is refused with 413 before a byte is read
# (trungtam.middleware): the largest upload, a 5 MB import, plus the form around it. The proxy in
# front must let it through (README, client_max_body_size).
REQUEST_MAX_BODY_SIZE = 6 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Strict policy: no inline scripts or styles anywhere, so every screen is built for it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Plain-HTTP office mode (README): secure cookies off. Default is HTTPS-only cookies in production.
HTTPS = envbool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# A reverse proxy in front: it terminates TLS and says so in X-Forwarded-Proto, and reports the
# client's address in X-Forwarded-For. PROXY_COUNT proxies append to that header (default 1).
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
PROXY_COUNT = envint("PROXY_COUNT", 1 if BEHIND_PROXY else 0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"PROXY_COUNT={PROXY_COUNT}: expected 0 or more proxies")
SILENCED_SYSTEM_CHECKS = []
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if HTTPS and not SECURE_SSL_REDIRECT:
        # SECURE_SSL_REDIRECT=0 behind a proxy means the proxy redirects http to https itself.
        SILENCED_SYSTEM_CHECKS.append("security.W008")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Mail to sending units' liaisons (thongbao): on only when EMAIL_HOST is set. Without it every
# notice still shows on the unit's page and its mails wait, queued, for `send_mail_queue`.
EMAIL_HOST = envstr("EMAIL_HOST", "").strip()
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL are both on: choose one (TLS for port 587, SSL for 465)"
    )
# Seconds to wait for the mail server in each exchange with it (connect, each message).
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "").strip() or "trungtam@localhost"
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# 0: pages only queue mail and `send_mail_queue` (cron) sends it all.
EMAIL_SEND_ON_COMMIT = envbool("EMAIL_SEND_ON_COMMIT", True)
# Mails a page queued go out from a background thread after its commit, so the page never waits
# for the mail server. 0: the page's own thread sends them after the commit (the tests do).
EMAIL_SEND_IN_BACKGROUND = envbool("EMAIL_SEND_IN_BACKGROUND", True)

# Digitally signed PDFs (issue 18, trungtam/signing): the centre's key is a PKCS#12 file or a
# PKCS#11 token (USB token, HSM). The password and the PIN come only from here, never from the
# database; nothing is set = documents stay unsigned, as before.
SIGNING_APPEARANCES = ("visible", "invisible")
SIGNING = {
    "PKCS12_PATH": envstr("SIGNING_PKCS12_PATH", "").strip(),
    "PKCS12_PASSWORD": envstr("SIGNING_PKCS12_PASSWORD", ""),
    "PKCS11_MODULE": envstr("SIGNING_PKCS11_MODULE", "").strip(),
    "PKCS11_TOKEN_LABEL": envstr("SIGNING_PKCS11_TOKEN_LABEL", "").strip(),
    "PKCS11_KEY_LABEL": envstr("SIGNING_PKCS11_KEY_LABEL", "").strip(),
    # Empty: the certificate object on the token carries the key's label, as it usually does.
    "PKCS11_CERT_LABEL": envstr("SIGNING_PKCS11_CERT_LABEL", "").strip(),
    "PKCS11_PIN": envstr("SIGNING_PKCS11_PIN", ""),
    # A timestamp from this RFC 3161 server makes the signature PAdES B-T.
    "TSA_URL": envstr("SIGNING_TSA_URL", "").strip(),
    "APPEARANCE": envstr("SIGNING_APPEARANCE", "visible").strip().lower() or "visible",
    # PEM files of the CAs a verification trusts, colon-separated like PATH.
    "TRUST_ROOTS": [p.strip() for p in envstr("SIGNING_TRUST_ROOTS", "").split(":") if p.strip()],
}
if SIGNING["APPEARANCE"] not in SIGNING_APPEARANCES:
    raise ImproperlyConfigured(
        f"SIGNING_APPEARANCE={SIGNING['APPEARANCE']!r}: expected visible or invisible"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
