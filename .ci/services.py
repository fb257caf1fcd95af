"""Are PostgreSQL and Redis there for the production run of the tests? Creates the database if missing.

Usage: services.py DATABASE_URL REDIS_URL; exits 0 when both answer, 1 (with the reason) otherwise.
"""

import sys
from urllib.parse import urlsplit

import psycopg
import redis
from psycopg import sql


def main(database_url, redis_url):
    name = urlsplit(database_url).path.lstrip("/")
    try:
        with psycopg.connect(
            database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True, connect_timeout=3
        ) as db:
            if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except (psycopg.Error, redis.RedisError) as error:
        print(f"{type(error).__name__}: {error}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
