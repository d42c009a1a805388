"""SIMPATIK settings: one module, driven by the environment, SQLite by default."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from simpatik.env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("SIMPATIK_VAR_DIR", str(REPO_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("SIMPATIK_REQUIRE_SECRET", False):
        raise RuntimeError("SECRET_KEY must be set in production")
    SECRET_KEY = "simpatik-insecure-development-key-change-me"
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
    "rest_framework.authtoken",
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
    # A busy timeout lets concurrent writers wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:tasks"
LOGOUT_REDIRECT_URL = "login"

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
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "simpatik.core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
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
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
