"""Settings for the test suite: the real settings, with a throwaway key and a fast hasher.

The database comes from DATABASE_URL as in production, so the same suite runs on SQLite and on
PostgreSQL.
"""

import os
import secrets
import tempfile

os.environ.setdefault("WITHPEOPLE_DATA_DIR", tempfile.mkdtemp(prefix="withpeople-test-"))
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")

from withpeople.settings import *  # noqa: F403

# The suite's OpenID Connect provider listens on 127.0.0.1 over plain http.
SINGLE_SIGN_ON_ALLOW_LOOPBACK_HTTP = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Emails stay in memory, except in a worker started by a test that runs a real SMTP server.
EMAIL_BACKEND = os.environ.get(
    "WITHPEOPLE_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files from the finders, as in development, so tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tasks run as soon as they are enqueued (after the commit, where a service enqueues on commit).
# Tests of ordering, crash recovery and the worker itself run a real `withpeople worker` against
# the database backend: WITHPEOPLE_TEST_TASKS_BACKEND=database chooses it in that worker.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if os.environ.get("WITHPEOPLE_TEST_TASKS_BACKEND") == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so a worker in another process can share the test database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.environ.get(
            "WITHPEOPLE_TEST_SQLITE",
            os.path.join(os.environ["WITHPEOPLE_DATA_DIR"], "test.sqlite3"),
        )
    }
    # A test database need not survive a power cut: no waiting for the disk at each commit.
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
    )
else:
    # Likewise on PostgreSQL: a commit does not wait for the write-ahead log to reach the disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
    # Django's PostgreSQL backend, emptying tables between transactional tests with DELETE
    # rather than TRUNCATE (see the module).
    DATABASES["default"]["ENGINE"] = "withpeople.testing.postgresql"  # noqa: F405
