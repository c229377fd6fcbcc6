"""Points the generated handler at a server that accepts TCP connections and never answers (a half-open
path, a hung proxy) and invokes it once. An unbounded connection attempt would hang until the test's
process timeout; a bounded one fails with libpq's connection-timeout error."""
import contextlib
import io
import json
import os
import socket
import sys

silent = socket.socket()
silent.bind(("127.0.0.1", 0))
silent.listen(8)
os.environ["DB_PORT"] = str(silent.getsockname()[1])

sys.path.insert(0, "app")
import handler  # noqa: E402


class Context:
    aws_request_id = "silent-1"


event = json.load(open("events/event.json"))
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    try:
        outcome = {"result": handler.handler(event, Context())}
    except Exception as error:  # the test reads the message
        outcome = {"error": str(error)}
outcome["logged"] = printed.getvalue()
print(json.dumps(outcome))
silent.close()
