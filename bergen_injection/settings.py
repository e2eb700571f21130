"""Settings for the facility operations system.

Everything that differs between a laptop and production comes from the environment, read through
``bergen_injection.env`` so that a wrong value stops the app at start-up instead of half-working.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from bergen_injection.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-never-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "staff.apps.FacilityAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "staff",
    "visits",
    "duty",
    "counseling",
    "health",
    "reports",
    "audit",
    "oversight",
    "demo",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bergen_injection.errors.DatabaseBusyMiddleware",  # a write that waited too long: 503 "busy, try again"
    "visits.board_poll.BoardPollMiddleware",  # "no change" to a board's poll, before session and user
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.settings_cache.RequestMemoMiddleware",  # the facility row read once, the settings kept per change
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "staff.middleware.IdleTimeoutMiddleware",
    "staff.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Inside the messages middleware, so that messages the page shows are marked as seen.
    "bergen_injection.errors.MethodNotAllowedPageMiddleware",  # a bare 405 becomes a page saying why
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "staff.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the login page with a message.
    "axes.middleware.AxesMiddleware",
]

# django-axes first, so that a locked-out username and address is refused before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "staff.backends.StaffBackend",  # ModelBackend, with permissions and roles read in one query
]

ROOT_URLCONF = "bergen_injection.urls"

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
                "django.template.context_processors.i18n",
                "staff.context_processors.navigation",
                "duty.context_processors.on_duty",
                "staff.context_processors.field_classes",
                "visits.context_processors.facility",
            ],
        },
    },
]

WSGI_APPLICATION = "bergen_injection.wsgi.application"

# Each process's memory: the boards drawn once per floor version (stations/board_cache.py) are kept
# here, so each gunicorn worker draws a variant at most once per version and serves it from memory
# with no query; a shared (database) cache would cost a query on every poll to save at most a drawing
# per worker. Nothing else is cached here.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "boards",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
}

# SQLite under var/ lets a newcomer run the app with nothing else installed; production and CI
# use PostgreSQL. Persistent connections matter: opening one per request makes a page ~3.7x slower.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 600, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation of queries: the year-long report queries are costly enough to trigger it,
    # and compiling took longer than it saved (the annual report at 2,000,000 visits: ~18 % slower with it).
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that tests may close and reopen the connection (and threads share it).
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}
    # The embedded default, set up for a few stations writing at once (see the README):
    # - the write-ahead log lets pages read while another request writes, and a write wait for the one before;
    # - every transaction takes the write lock as it begins (IMMEDIATE), so two services never both read and
    #   then both try to write: the second waits for the first to commit, then reads what it wrote. That is
    #   what select_for_update (which SQLite ignores) gives on PostgreSQL, so the loser of a race gets the
    #   same message. A deferred transaction could not wait: SQLite answers "database is locked" at once;
    # - the busy timeout is how long a write waits for the lock before the 503 "try again" page.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "staff.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:landing"
LOGOUT_REDIRECT_URL = "staff:login"

# Shared station computers: a username is locked at one address after AXES_FAILURE_LIMIT failed logins
# in a row, for AXES_COOLOFF minutes; a successful login resets the count at that address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Guessing spread over many addresses: a username is locked at every address after this many failed logins
# within AXES_COOLOFF minutes, wherever they came from (staff.lockout; a higher limit than the one above).
AXES_USERNAME_FAILURE_LIMIT = env_int("AXES_USERNAME_FAILURE_LIMIT", 20, minimum=1)
AXES_HANDLER = "staff.lockout.StaffAxesHandler"
# Behind reverse proxies (a load balancer, nginx) the station's address comes from X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Locks are lifted with `manage.py axes_reset_username <name>` (or they expire); not through the admin.
AXES_ENABLE_ADMIN = False
AXES_LOCKOUT_CALLABLE = "staff.views.accounts.locked_out"
# A session left alone this long is logged out by the server; the board's own polling does not count.
IDLE_TIMEOUT_MINUTES = env_int("IDLE_TIMEOUT_MINUTES", 15, minimum=1)

# Retention (``manage.py retention``, daily): a client with no visit for this many months is deregistered
# (the Oslo practice); a client with no activity for RETENTION_YEARS has the record anonymised.
DEREGISTER_AFTER_MONTHS = env_int("DEREGISTER_AFTER_MONTHS", 12, minimum=1)
RETENTION_YEARS = env_int("RETENTION_YEARS", 10, minimum=1)

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own way, by named formats (bergen_injection/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["bergen_injection.formats"]
LANGUAGE_COOKIE_NAME = "language"
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Messages ride in a cookie (signed; HttpOnly, Secure and SameSite like the session's) for the one
# redirect they live, instead of two session writes (six queries) per message; a message too large for
# a cookie falls back to the session.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

# Production hardening; each can be loosened from the environment for a local gunicorn trial.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading commits the whole domain and its subdomains to HTTPS in the browsers' own lists for years;
# the facility usually lives under the municipality's domain, so that is the operator's call, not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
