import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .base import *  # noqa: E402, F403
from .base import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
# A public address, as production needs: issuing certificates refuses a loopback one outside DEBUG.
PUBLIC_BASE_URL = "https://ttct.example.vn"
HTTPS = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
AXES_ENABLED = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
DATABASES["default"]["CONN_MAX_AGE"] = 0
# A background thread has its own connection and cannot see a test's uncommitted rows: tests send
# a page's mails in its own thread after the (captured) commit, and test the hand-over separately.
EMAIL_SEND_IN_BACKGROUND = False
# No signing key from a developer's shell reaches the tests: the signing tests configure their own
# (tests/signing), everything else runs as an installation without a key.
SIGNING = {
    "PKCS12_PATH": "",
    "PKCS12_PASSWORD": "",
    "PKCS11_MODULE": "",
    "PKCS11_TOKEN_LABEL": "",
    "PKCS11_KEY_LABEL": "",
    "PKCS11_CERT_LABEL": "",
    "PKCS11_PIN": "",
    "TSA_URL": "",
    "APPEARANCE": "visible",
    "TRUST_ROOTS": [],
}
