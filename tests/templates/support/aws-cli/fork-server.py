"""Runs Debian's AWS CLI (awscli v2, /usr/bin/aws), or the interpreter's own awscli, for many shell invocations without paying its
start-up each time: the CLI is imported once and its service models loaded, then each request is
served by a forked child that runs the unchanged CLI driver with the caller's arguments,
environment, working directory and stdin/stdout/stderr (passed over a Unix socket)."""
import json
import os
import signal
import socket
import sys

# Debian's CLI unless a third argument names another site-packages ("" keeps the interpreter's own).
SITE = sys.argv[3] if len(sys.argv) > 3 else "/usr/lib/python3/dist-packages"
if SITE:
    sys.path.insert(0, SITE)
from awscli.clidriver import create_clidriver  # noqa: E402

sys.argv[0] = "aws"  # the name the CLI prints in its usage messages
SERVICES = sys.argv[2].split(",") if len(sys.argv) > 2 else []

driver = create_clidriver()
for service in SERVICES:
    driver.session.get_service_model(service)

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(sys.argv[1])
server.listen(64)
print("ready", flush=True)

while True:
    conn, _ = server.accept()
    message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
    if os.fork() == 0:
        server.close()
        request = json.loads(message)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        try:
            code = driver.main(request["args"])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException as error:  # report like the CLI would, never hang the caller
            print(error, file=sys.stderr)
            code = 255
        sys.stdout.flush()
        sys.stderr.flush()
        conn.sendall(str(code or 0).encode())
        conn.close()
        os._exit(0)
    for fd in fds:
        os.close(fd)
    conn.close()
