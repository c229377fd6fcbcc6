"""Rotates the database password between two invocations, as a Secrets Manager rotation function does
(the database first, then the secret), and checks what the generated handler does about it. The module
is imported once (INIT); every later connection is forced to be new by terminating the handler's
sessions. Prints what happened; the test compares it with the stand-in's call counts."""
import json
import os
import sys
import time

import boto3
import psycopg
from psycopg import sql

sys.path.insert(0, "app")
import handler  # noqa: E402


class Context:
    def __init__(self, request_id):
        self.aws_request_id = request_id


event = json.load(open("events/event.json"))
user = os.environ["DB_USER"]
admin = psycopg.connect(host="127.0.0.1", port=int(os.environ["ADMIN_PORT"]), user="postgres", password=os.environ["ADMIN_PASSWORD"], dbname="postgres", sslmode="verify-full", sslrootcert=os.environ["DB_CA_BUNDLE"], autocommit=True)


def close_sessions():
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s AND datname = %s", (user, os.environ["DB_NAME"]))
    time.sleep(0.3)


first = handler.handler(event, Context("rotation-1"))
close_sessions()
# A new connection with the password kept since INIT: no second read of the secret.
second = handler.handler(event, Context("rotation-2"))

rotated = os.environ["ROTATED_PASSWORD"]
admin.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(user), sql.Literal(rotated)))
boto3.client("secretsmanager", endpoint_url=os.environ["AWS_ENDPOINT_URL_SECRETS_MANAGER"]).put_secret_value(
    SecretId=os.environ["DB_SECRET_ARN"], SecretString=json.dumps({"username": user, "password": rotated})
)
close_sessions()

# The control: a handler without the refetch opens its next connection with the password it kept.
try:
    handler._open(handler._password()).close()
    control = "connected"
except psycopg.OperationalError as error:
    control = error.sqlstate or ("28P01" if "password authentication failed" in str(error) else str(error))
third = handler.handler(event, Context("rotation-3"))
print(json.dumps({"first": first, "second": second, "third": third, "control": control}))
handler.close()
admin.close()
