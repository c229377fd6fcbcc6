"""Invokes the generated handler, has PostgreSQL terminate the handler's sessions (as a restart, a
failover or a server-side idle timeout would), then invokes it again in the same process. Also reads
statement_timeout on the handler's own connection: the role setting of schema.sql must reach it."""
import json
import os
import sys
import time

sys.path.insert(0, "app")
import handler  # noqa: E402
import psycopg  # noqa: E402


class Context:
    aws_request_id = "close-check-1"


event = json.load(open("events/event.json"))
first = handler.handler(event, Context())
with psycopg.connect(host="127.0.0.1", port=int(os.environ["ADMIN_PORT"]), user="postgres", password=os.environ["ADMIN_PASSWORD"], dbname="postgres", sslmode="verify-full", sslrootcert=os.environ["DB_CA_BUNDLE"], autocommit=True) as admin:
    terminated = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = %s AND datname = %s", (os.environ["DB_USER"], os.environ["DB_NAME"])).fetchone()[0]
time.sleep(0.3)
Context.aws_request_id = "close-check-2"
second = handler.handler(event, Context())
statement_timeout = handler.connection().execute("SHOW statement_timeout").fetchone()[0]
print(json.dumps({"terminated": terminated, "first": first, "second": second, "statementTimeout": statement_timeout}))
handler.close()
