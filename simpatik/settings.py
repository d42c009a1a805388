"""SIMPATIK settings: one module, driven by the environment, SQLite by default."""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from simpatik.env import EnvError, database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("SIMPATIK_VAR_DIR", str(REPO_DIR / "var")))
# Hardening: the data directory (database, uploads, keys) is readable by its owner only.
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
VAR_DIR.chmod(0o700)

DEBUG = env_bool("DEBUG", False)
# Hardening: no key in the source. Production sets SECRET_KEY or SECRET_KEY_FILE; a development
# run (DEBUG=true, as `make serve` does) makes its own key once and keeps it in the data directory.
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY belum diatur: isi SECRET_KEY atau SECRET_KEY_FILE (berkas rahasia di luar "
            "direktori data) sebelum menjalankan SIMPATIK dengan DEBUG=false. "
            "Untuk percobaan lokal gunakan `make serve` (DEBUG=true)."
        )
    from simpatik.core.secrets import development_key

    SECRET_KEY = development_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simpatik.core",
    "simpatik.accounts",
    "simpatik.audit",
    "simpatik.sop",
    "simpatik.projects",
    "simpatik.inventory",
    "simpatik.letters",
    "simpatik.provisioning",
    "simpatik.wiki",
    "simpatik.spbe",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "simpatik.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "simpatik.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simpatik.accounts.middleware.SessionLifetimeMiddleware",
    "simpatik.accounts.middleware.AccountRequirementsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "simpatik.urls"
WSGI_APPLICATION = "simpatik.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "simpatik.core.context_processors.simpatik",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'simpatik.sqlite3'}"), REPO_DIR
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A small office on SQLite: two people saving at once must never see "database is locked".
    # WAL lets pages be read while one writer commits. Every transaction takes the write lock when
    # it begins (IMMEDIATE): a DEFERRED one that read first and then writes cannot wait for the
    # lock (SQLite fails it at once to avoid a deadlock), whatever the timeout. The busy timeout
    # (seconds) makes the second writer wait its turn. synchronous stays FULL: a committed letter
    # number or audit record survives a power cut.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL",
    }
elif env_bool("SIMPATIK_PG_PREPARE", True):
    # What every request sends again and again (session, user, roles, each list's page) is
    # prepared on the server from its fifth use on a connection: PostgreSQL then parses it once
    # per connection, not per request (bench/pages_cpu.py: the database's CPU for a page fell by
    # a third to a half). Behind a pooler in transaction mode set SIMPATIK_PG_PREPARE=false
    # (PgBouncer 1.21+ with max_prepared_statements keeps them working).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "projects:home"  # lands each person where their work is
LOGOUT_REDIRECT_URL = "account_login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")  # WITA: Sulawesi Utara
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Serve app static files straight from the apps, so `make serve` needs no collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("SIMPATIK_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads: the limit applies to one document; type is checked by content in core.files.
SIMPATIK_MAX_UPLOAD_MB = env_int("SIMPATIK_MAX_UPLOAD_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded zip/tar.gz archives (an installation package) are read in chunks within these limits.
SIMPATIK_ARCHIVE_MAX_INFLATED_MB = env_int("SIMPATIK_ARCHIVE_MAX_INFLATED_MB", 500)
SIMPATIK_ARCHIVE_MAX_RATIO = env_int("SIMPATIK_ARCHIVE_MAX_RATIO", 100)
SIMPATIK_ARCHIVE_MAX_MEMBERS = env_int("SIMPATIK_ARCHIVE_MAX_MEMBERS", 20000)

SIMPATIK_SOP_DEFINITION = REPO_DIR / "sop" / "pengembangan-aplikasi-diskominfo.yaml"
SIMPATIK_SOP_KODE = "pengembangan-aplikasi-diskominfo"
# Applications are published as subdomains of this domain (step 16's recommendation).
SIMPATIK_APPS_DOMAIN = env_str("SIMPATIK_APPS_DOMAIN", "bolmutkab.go.id")
SIMPATIK_ORGANISATION = env_str(
    "SIMPATIK_ORGANISATION",
    "Dinas Komunikasi, Informatika dan Persandian Kabupaten Bolaang Mongondow Utara",
)

# Official documents (letters): letterhead, numbering, signing and public verification.
SIMPATIK_PUBLIC_URL = env_str("SIMPATIK_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
SIMPATIK_LETTER_NUMBER_PATTERN = env_str(
    "SIMPATIK_LETTER_NUMBER_PATTERN",
    "{kode_klasifikasi}/{nomor}/{kode_unit}/{bulan_romawi}/{tahun}",
)
SIMPATIK_LETTER_UNIT = env_str("SIMPATIK_LETTER_UNIT", "DISKOMINFO")
SIMPATIK_LETTER_CODES = {}  # kind -> kode klasifikasi, overriding letters.kinds
# The regency's emblem for letters and the SOP sheet: a PNG or JPEG file. Empty: the placeholder.
SIMPATIK_LOGO_FILE = env_str("SIMPATIK_LOGO_FILE", "")
if SIMPATIK_LOGO_FILE and (
    not Path(SIMPATIK_LOGO_FILE).is_file()
    or Path(SIMPATIK_LOGO_FILE).suffix.lower() not in (".png", ".jpg", ".jpeg")
):
    raise ImproperlyConfigured(
        f"SIMPATIK_LOGO_FILE={SIMPATIK_LOGO_FILE!r} harus berkas PNG atau JPEG yang ada"
    )
SIMPATIK_KOP = {
    "pemerintah": env_str(
        "SIMPATIK_KOP_PEMERINTAH", "PEMERINTAH KABUPATEN BOLAANG MONGONDOW UTARA"
    ),
    "dinas": env_str("SIMPATIK_KOP_DINAS", "DINAS KOMUNIKASI, INFORMATIKA DAN PERSANDIAN"),
    "alamat": env_str(
        "SIMPATIK_KOP_ALAMAT",
        "Kompleks Perkantoran Pemerintah Kabupaten, Boroko, Bolaang Mongondow Utara",
    ),
    "kontak": env_str(
        "SIMPATIK_KOP_KONTAK",
        "Laman: diskominfo.bolmutkab.go.id · Surel: diskominfo@bolmutkab.go.id",
    ),
    "kota": env_str("SIMPATIK_KOP_KOTA", "Boroko"),
    # SIMPATIK_KOP_LOGO (PNG/SVG, letters only) is the older name, still read.
    "logo": SIMPATIK_LOGO_FILE or env_str("SIMPATIK_KOP_LOGO", ""),
}
# Installations may override any template (letters included) from this directory.
SIMPATIK_TEMPLATE_OVERRIDES = env_str("SIMPATIK_TEMPLATE_OVERRIDES", "")
if SIMPATIK_TEMPLATE_OVERRIDES:
    TEMPLATES[0]["DIRS"].insert(0, Path(SIMPATIK_TEMPLATE_OVERRIDES))
SIMPATIK_SIGNER = env_str("SIMPATIK_SIGNER", "local")  # local (PKCS#12 from our CA) or bsre
SIMPATIK_PKI_DIR = Path(env_str("SIMPATIK_PKI_DIR", str(VAR_DIR / "pki")))
SIMPATIK_BSRE_URL = env_str("SIMPATIK_BSRE_URL", "")
SIMPATIK_BSRE_USER = env_str("SIMPATIK_BSRE_USER", "")
SIMPATIK_BSRE_PASSWORD = env_str("SIMPATIK_BSRE_PASSWORD", "")

# Provisioning: repositories (step 8) and DNS (steps 16 and 18).
SIMPATIK_REPO_PROVIDER = env_str("SIMPATIK_REPO_PROVIDER", "local")  # local, gitea, gitlab
SIMPATIK_GIT_ROOT = Path(env_str("SIMPATIK_GIT_ROOT", str(VAR_DIR / "git")))
SIMPATIK_GITEA_URL = env_str("SIMPATIK_GITEA_URL", "")
SIMPATIK_GITEA_TOKEN = env_str("SIMPATIK_GITEA_TOKEN", "")
SIMPATIK_GITEA_ORG = env_str("SIMPATIK_GITEA_ORG", "diskominfo")
SIMPATIK_GITLAB_URL = env_str("SIMPATIK_GITLAB_URL", "")
SIMPATIK_GITLAB_TOKEN = env_str("SIMPATIK_GITLAB_TOKEN", "")
SIMPATIK_GITLAB_NAMESPACE_ID = env_int("SIMPATIK_GITLAB_NAMESPACE_ID", 0)
SIMPATIK_DNS_PROVIDER = env_str("SIMPATIK_DNS_PROVIDER", "zonefile")  # zonefile or powerdns
SIMPATIK_DNS_ZONE = env_str("SIMPATIK_DNS_ZONE", SIMPATIK_APPS_DOMAIN)
SIMPATIK_DNS_NAMESERVERS = env_list(
    "SIMPATIK_DNS_NAMESERVERS", [f"ns1.{SIMPATIK_DNS_ZONE}.", f"ns2.{SIMPATIK_DNS_ZONE}."]
)
SIMPATIK_DNS_ZONEFILE_PATH = env_str("SIMPATIK_DNS_ZONEFILE_PATH", "")
SIMPATIK_POWERDNS_URL = env_str("SIMPATIK_POWERDNS_URL", "http://127.0.0.1:8081")
SIMPATIK_POWERDNS_API_KEY = env_str("SIMPATIK_POWERDNS_API_KEY", "")
SIMPATIK_POWERDNS_SERVER = env_str("SIMPATIK_POWERDNS_SERVER", "localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "simpatik.accounts.api.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "simpatik.core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "simpatik.core.pages.Pagination",
    "PAGE_SIZE": 50,
    # Every time in the regency's offset (+08:00), the hand-built answers' too.
    "DEFAULT_RENDERER_CLASSES": [
        "simpatik.core.api.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SIMPATIK API",
    "DESCRIPTION": "API SIMPATIK: SOP Pengembangan Aplikasi oleh Diskominfo sebagai data.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Servers may be offline: the docs page uses the vendored Swagger UI, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Endpoints are grouped (tagged) by the first path segment after this prefix: projects, ...
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}


# Production server: logs as JSON lines (LOG_FORMAT=json, the default without DEBUG) with the
# request id of the action; plain text for a developer's terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise EnvError(f"LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "simpatik.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "simpatik.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}
SIMPATIK_WEB_WORKERS = env_int("SIMPATIK_WEB_WORKERS", 3)

# Background work (`simpatik worker`): Django's tasks API. The database queue is the embedded
# default on SQLite and PostgreSQL; `rq` shares one Redis among any number of workers and
# machines; `immediate` runs each job at once in the process that enqueued it (tests, scripts).
SIMPATIK_TASK_BACKEND = env_str("SIMPATIK_TASK_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if SIMPATIK_TASK_BACKEND not in _TASK_BACKENDS:
    raise EnvError(f"SIMPATIK_TASK_BACKEND must be one of {', '.join(_TASK_BACKENDS)}")
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "simpatik.jobs"]
# One queue name for both backends; a separate name keeps installations sharing a Redis apart.
SIMPATIK_TASK_QUEUE = env_str("SIMPATIK_TASK_QUEUE", "default")
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[SIMPATIK_TASK_BACKEND],
        "QUEUES": sorted({"default", SIMPATIK_TASK_QUEUE}),  # tasks are declared on "default"
    }
}
if SIMPATIK_TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    _redis = {
        "URL": env_str("SIMPATIK_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DEFAULT_TIMEOUT": 600,
    }
    RQ_QUEUES = {name: _redis for name in TASKS["default"]["QUEUES"]}
SIMPATIK_SCHEDULER_TICK_SECONDS = env_int("SIMPATIK_SCHEDULER_TICK_SECONDS", 30)
SIMPATIK_JOB_MODULES = env_list("SIMPATIK_JOB_MODULES", [])  # extra modules that register jobs

# Notifications: in-app always; e-mail over SMTP and chat through apprise, per user's choice.
INSTALLED_APPS += ["simpatik.notifications"]
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SIMPATIK <simpatik@localhost>")

# Oversight: the dashboard of every project against the Mutu Baku.
INSTALLED_APPS += ["simpatik.oversight"]
# The SOP's own monitoring and evaluation (Permen PANRB 35/2012), drawn from the oversight figures.
INSTALLED_APPS += ["simpatik.monev"]
# Who may do what is the SOP file's (roles' `kewenangan`; simpatik/accounts/permissions.py).
# SIMPATIK acts for a step's follow-up work as this user; commands run as SIMPATIK_OPERATOR
# unless given --as USER.
SIMPATIK_SYSTEM_USERNAME = env_str("SIMPATIK_SYSTEM_USERNAME", "simpatik-sistem")
SIMPATIK_OPERATOR = env_str("SIMPATIK_OPERATOR", "")

# Presentations (berita acara meetings) and calendar feeds.
INSTALLED_APPS += ["simpatik.meetings"]
INSTALLED_APPS += ["simpatik.discussions"]
# Authentication and sessions (issue 9 §3; docs/keamanan.md explains each choice).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "simpatik.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Failed logins are counted by simpatik.accounts.lockout (shared by web, git and the API), so
# allauth's per-process login_failed limit is off; its other limits stay.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "SIMPATIK"
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("SIMPATIK_WEBAUTHN_INSECURE_ORIGIN", DEBUG)
SIMPATIK_MFA_GRACE_DAYS = env_int("SIMPATIK_MFA_GRACE_DAYS", 14)
SIMPATIK_LOGIN_MAX_PER_ACCOUNT = env_int("SIMPATIK_LOGIN_MAX_PER_ACCOUNT", 5)
SIMPATIK_LOGIN_MAX_PER_ADDRESS = env_int("SIMPATIK_LOGIN_MAX_PER_ADDRESS", 20)
SIMPATIK_LOGIN_LOCK_MINUTES = env_int("SIMPATIK_LOGIN_LOCK_MINUTES", 15)
SIMPATIK_TRUSTED_PROXIES = env_list("SIMPATIK_TRUSTED_PROXIES", [])  # CIDRs of reverse proxies
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("SIMPATIK_API_TOKEN_DAYS", 30)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
SIMPATIK_API_TOKENS_PER_USER = env_int("SIMPATIK_API_TOKENS_PER_USER", 20)
SIMPATIK_SESSION_IDLE_MINUTES = env_int("SIMPATIK_SESSION_IDLE_MINUTES", 30)
SIMPATIK_SESSION_MAX_HOURS = env_int("SIMPATIK_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SIMPATIK_SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Secure cookies and HSTS whenever DEBUG is off; SIMPATIK_SECURE_COOKIES=false only for a
# plain-http trial on a private network (browsers drop Secure cookies over http except localhost).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SIMPATIK_SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SIMPATIK_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# "preload" only takes effect when the owner of the registrable domain submits it to the list.
SECURE_HSTS_PRELOAD = env_bool("SIMPATIK_HSTS_PRELOAD", not DEBUG)
SIMPATIK_PASSWORD_POLICY = env_str("SIMPATIK_PASSWORD_POLICY", "asvs")
if SIMPATIK_PASSWORD_POLICY not in {"asvs", "bssn"}:
    raise EnvError("SIMPATIK_PASSWORD_POLICY must be asvs or bssn")
SIMPATIK_PASSWORD_MIN_LENGTH = env_int("SIMPATIK_PASSWORD_MIN_LENGTH", 12)
SIMPATIK_PASSWORD_MAX_AGE_DAYS = env_int("SIMPATIK_PASSWORD_MAX_AGE_DAYS", 90)
SIMPATIK_PASSWORD_WARN_DAYS = env_int("SIMPATIK_PASSWORD_WARN_DAYS", 14)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": SIMPATIK_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "simpatik.accounts.passwords.BreachedPasswordValidator"},
]
if SIMPATIK_PASSWORD_POLICY == "bssn":
    AUTH_PASSWORD_VALIDATORS.append({"NAME": "simpatik.accounts.passwords.CompositionValidator"})
TEMPLATES[0]["OPTIONS"]["context_processors"].append(
    "simpatik.accounts.context_processors.account_banners"
)

# Hardening (issue 9): request limits, temporary uploads, file modes, HTTPS, CSP.
# Request bodies: refused from their declared length before they are read (core.limits).
MIDDLEWARE.insert(0, "simpatik.core.limits.BodyLimitMiddleware")
SIMPATIK_MAX_REQUEST_MB = env_int("SIMPATIK_MAX_REQUEST_MB", 2 * SIMPATIK_MAX_UPLOAD_MB + 10)
SIMPATIK_MAX_GIT_PUSH_MB = env_int("SIMPATIK_MAX_GIT_PUSH_MB", 500)
# Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE go to disk here; `simpatik cleanup --temp` sweeps what a
# killed process left behind (at start-up and periodically).
FILE_UPLOAD_TEMP_DIR = str(VAR_DIR / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(mode=0o700, exist_ok=True)
SIMPATIK_TEMP_MAX_AGE_HOURS = env_int("SIMPATIK_TEMP_MAX_AGE_HOURS", 6)
# Chat servers on the installation's own network that notifications may post to (its WhatsApp
# gateway, say): comma-separated host names or addresses (notifications.chat).
SIMPATIK_CHAT_ALLOWED_HOSTS = [
    h for h in env_str("SIMPATIK_CHAT_ALLOWED_HOSTS", "").split(",") if h.strip()
]
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# HTTPS: behind a proxy that ends TLS, name its header, e.g. HTTP_X_FORWARDED_PROTO=https.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER", "")
if _proxy_ssl_header:
    _name, _, _value = _proxy_ssl_header.partition("=")
    SECURE_PROXY_SSL_HEADER = (_name.strip(), _value.strip() or "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A strict Content-Security-Policy on every page (django-csp 4): scripts, styles and everything
# else from this site only; no inline script or style (templates keep to that; see README).
# The admin uses inline scripts and is left out. Violations are reported to /csp-report/ and logged.
from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
MIDDLEWARE.append("simpatik.core.middleware.PermissionsPolicyMiddleware")
MIDDLEWARE.append("simpatik.core.middleware.FormOnlyPageMiddleware")
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
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
        "report-uri": ["/csp-report/"],
    },
}
# Signing keys are encrypted at rest with this secret, kept outside the data directory (a copy of
# var/ alone must sign nothing). Development runs (DEBUG) derive one from SECRET_KEY instead.
SIMPATIK_KEY_ENCRYPTION_KEY = env_str("SIMPATIK_KEY_ENCRYPTION_KEY", "")
SIMPATIK_DEV_KEYS = DEBUG
# Powerful browser features SIMPATIK never uses are switched off for every page.
SIMPATIK_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Operations (issue 9). Hostile input (NUL, non-ASCII digits, deep JSON) is refused before any
# view and before the session is read; an API retry with the same Idempotency-Key gets the first
# answer (it needs the authenticated user); the OpenAPI schema describes every response, the
# shared Error included, and hides the API's catch-all 404 route.
MIDDLEWARE.insert(
    MIDDLEWARE.index("simpatik.core.middleware.LanguageMiddleware") + 1,
    "simpatik.core.middleware.InputGuardMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "simpatik.core.idempotency.IdempotencyMiddleware",
)
SPECTACULAR_SETTINGS["PREPROCESSING_HOOKS"] = ["simpatik.core.openapi.drop_catch_all"]
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "simpatik.core.openapi.describe_responses",
]

# Scheduled backups by the worker (daily, 01:00 WITA) into this directory, keeping the newest N.
# Keep it on another disk or machine; empty: no scheduled backups (`simpatik backup` still works).
SIMPATIK_BACKUP_DIR = env_str("SIMPATIK_BACKUP_DIR", "")
SIMPATIK_BACKUP_KEEP = env_int("SIMPATIK_BACKUP_KEEP", 14)
# /healthz reports the job runner down when a job has waited this long past its time.
SIMPATIK_HEALTH_JOB_DELAY_MINUTES = env_int("SIMPATIK_HEALTH_JOB_DELAY_MINUTES", 15)
