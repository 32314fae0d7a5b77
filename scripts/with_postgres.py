"""Run a command against a throwaway PostgreSQL cluster: ``with_postgres.py -- pytest ...``.

When DATABASE_URL is already set, the command runs against that server. Otherwise a cluster
is created with initdb in a temporary directory, started on a Unix socket there (no TCP port),
DATABASE_URL is set for the command, and everything is removed afterwards. As root, the
server runs as the ``postgres`` user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def find_bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        sys.exit(f"{name} not found: install PostgreSQL (make system-deps)")
    return found


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1:] if "--" in argv else argv
    if os.environ.get("DATABASE_URL"):
        return subprocess.call(command)
    root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="servicecenter-pg-"))
    data, socket_dir = base / "data", base / "socket"
    socket_dir.mkdir()
    run_as: list[str] = []
    if root:
        user = pwd.getpwnam("postgres")
        for path in (base, socket_dir):
            os.chown(path, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    try:
        subprocess.run([*run_as, initdb, "-D", str(data), "-U", "servicecenter", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
                       check=True, stdout=subprocess.DEVNULL)
        options = f"-k {socket_dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-o", options, "-l", str(base / "server.log"), "-w", "start"],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([find_bin("createdb"), "-h", str(socket_dir), "-U", "servicecenter", "servicecenter"], check=True)
        socket = str(socket_dir).replace("/", "%2F")
        env = {**os.environ, "DATABASE_URL": f"postgres://servicecenter@{socket}/servicecenter"}
        print(f"PostgreSQL: throwaway cluster at {data}", flush=True)
        return subprocess.call(command, env=env)
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
