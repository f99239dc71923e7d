#!/usr/bin/env python3
"""Run a command with throwaway PostgreSQL and Redis servers beside it.

    python scripts/services.py [--install] [--data-dir DIR] -- COMMAND ...

Starts a private PostgreSQL cluster (initdb + pg_ctl in a temporary directory, on a
free loopback port) and a private redis-server, exports DATABASE_URL and
CELERY_BROKER_URL for COMMAND, runs it, then stops both servers and removes their
data, whatever COMMAND's outcome.

The database belongs to the ``caseflow_owner`` role (DATABASE_URL: migrations, setup
commands, the test suite); the application itself connects as ``caseflow_app``
(DATABASE_APP_URL, CASEFLOW_DB_APP_ROLE), which owns nothing: see accounts/db_roles.py.

With --data-dir (``make serve``, ``make backup``/``restore``) the servers' data is kept in
DIR between runs: an existing cluster is started again (its ``caseflow`` database created
only if missing), and a cluster or redis-server already running there (found by
PostgreSQL's postmaster.pid and our redis.pid/redis.port) is shared, not started twice,
and left running afterwards. With --install, missing Debian packages
(postgresql, redis-server, chromium) are installed with apt-get first.

With --replica a streaming replica of the cluster runs beside it (pg_basebackup -R from
the primary, hot standby on its own port) and DATABASE_REPLICA_URL points at it
(CASEFLOW_PG_REPLICA_* for the tests that pause its replay). ``make test`` starts one.

PostgreSQL refuses to run as root, so when run as root the cluster belongs to the
``postgres`` system user (created by Debian's package).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

APT_PACKAGES = {
    "postgresql": lambda: bool(_pg_bindir()),
    "redis-server": lambda: bool(shutil.which("redis-server")),
    "chromium": lambda: os.path.exists("/usr/bin/chromium"),
}


DATABASE = "caseflow"
# Issue 16: the database and every table belong to OWNER_ROLE (migrations, setup commands,
# the test suite, which must create its test database); the web processes and Celery
# connect as APP_ROLE, which owns nothing (accounts/db_roles.py grants its rights).
OWNER_ROLE = "caseflow_owner"
APP_ROLE = "caseflow_app"


def log(msg: str) -> None:
    print(f"[services] {msg}", file=sys.stderr, flush=True)


def _pg_bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _version_key(path: str) -> int:
    try:
        return int(path.split("/")[4])
    except (IndexError, ValueError):
        return 0


def install_missing() -> None:
    missing = [pkg for pkg, present in APT_PACKAGES.items() if not present()]
    if not missing:
        return
    log(f"installing Debian packages: {' '.join(missing)}")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on port {port} after {timeout}s")


class Postgres:
    def __init__(self, root: str, keep: bool = False):
        self.keep = keep
        self.bindir = _pg_bindir()
        if not self.bindir:
            raise RuntimeError("PostgreSQL is not installed (run with --install)")
        self.root = root
        self.data = os.path.join(root, "pgdata")
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        self.started = False

    def _run(self, *args: str, check: bool = True, **kw) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, **kw)

    def _opts(self) -> str:
        # fsync off is safe for a throwaway test cluster and halves its start-up cost;
        # a kept cluster (--data-dir) keeps PostgreSQL's durable defaults.
        durability = "" if self.keep else "-c fsync=off -c full_page_writes=off "
        return (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {durability}"
            "-c max_connections=200 "
            "-c shared_buffers=256MB -c work_mem=32MB -c maintenance_work_mem=256MB"
        )

    def running_port(self) -> int | None:
        """The port of a server already running on this data directory, if any."""
        if not os.path.exists(os.path.join(self.data, "PG_VERSION")):
            return None
        status = self._run(
            f"{self.bindir}/pg_ctl", "-D", self.data, "status",
            check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if status.returncode != 0:
            return None
        # postmaster.pid's fourth line is the port (PostgreSQL's documented layout).
        with open(os.path.join(self.data, "postmaster.pid")) as pidfile:
            return int(pidfile.read().splitlines()[3])

    def start(self) -> str:
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
        running = self.running_port()
        if running:
            # `make serve` (or another run) has this cluster up: share it, leave it running.
            self.port, self.started = running, False
            self.opts = self._opts()
            log(f"PostgreSQL already running on 127.0.0.1:{self.port} ({self.data})")
        else:
            if not os.path.exists(os.path.join(self.data, "PG_VERSION")):
                self._initdb()
            self.opts = self._opts()
            self._run(
                f"{self.bindir}/pg_ctl",
                "-D",
                self.data,
                "-l",
                os.path.join(self.root, "pg.log"),
                "-o",
                self.opts,
                "-w",
                "start",
                stdout=subprocess.DEVNULL,
            )
            self.started = True
        self._ensure_roles()
        if not self._database_exists(DATABASE):
            self._run(f"{self.bindir}/createdb", *self._conn_args(), "-O", OWNER_ROLE, DATABASE)
        self._hand_to_owner()
        log(f"PostgreSQL {self.version()} on 127.0.0.1:{self.port}")
        return self.url(OWNER_ROLE)

    def url(self, role: str) -> str:
        return f"postgres://{role}@127.0.0.1:{self.port}/{DATABASE}"

    def _sql(self, database: str, statement: str) -> str:
        out = self._run(
            f"{self.bindir}/psql", *self._conn_args(), "-d", database, "-v", "ON_ERROR_STOP=1",
            "-tAc", statement, capture_output=True, text=True,
        )  # fmt: skip
        return out.stdout.strip()

    def _ensure_roles(self) -> None:
        """The owner may create databases (pytest-django's test database) and nothing
        else a superuser may; the app role may only sign in."""
        for role, options in (
            (OWNER_ROLE, "LOGIN CREATEDB NOSUPERUSER NOCREATEROLE"),
            (APP_ROLE, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"),
        ):
            self._sql(
                "postgres",
                f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
                f"THEN CREATE ROLE {role}; END IF; END $$; ALTER ROLE {role} {options}",
            )

    def _hand_to_owner(self) -> None:
        """A cluster kept from before the role split has everything owned by postgres:
        give the database and its tables, sequences and views to the owner role."""
        self._sql("postgres", f"ALTER DATABASE {DATABASE} OWNER TO {OWNER_ROLE}")
        self._sql(
            DATABASE,
            "DO $$ DECLARE r record; BEGIN "
            "FOR r IN SELECT c.relname, c.relkind FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
            f"AND pg_get_userbyid(c.relowner) <> '{OWNER_ROLE}' LOOP "
            "EXECUTE format('ALTER %s %I OWNER TO " + OWNER_ROLE + "', "
            "CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' "
            "WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.relname); "
            "END LOOP; END $$",
        )

    def _initdb(self) -> None:
        self._run(
            f"{self.bindir}/initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            stdout=subprocess.DEVNULL,
        )

    def _conn_args(self) -> list[str]:
        return ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]

    def _database_exists(self, name: str) -> bool:
        out = self._run(
            f"{self.bindir}/psql", *self._conn_args(), "-d", "postgres", "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
            capture_output=True, text=True,
        )  # fmt: skip
        return out.stdout.strip() == "1"

    def version(self) -> str:
        out = subprocess.run(
            [f"{self.bindir}/postgres", "--version"], capture_output=True, text=True
        )
        return out.stdout.split(")", 1)[-1].split()[0]

    def stop(self) -> None:
        if not self.started:
            return  # someone else's server: theirs to stop
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(
                f"{self.bindir}/pg_ctl",
                "-D",
                self.data,
                "-m",
                "fast" if self.keep else "immediate",
                "stop",
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )


class Replica:
    """A hot standby of ``primary``: a base backup with -R (standby.signal and the
    primary's address written for it), started on its own port. About a second for a
    fresh cluster."""

    def __init__(self, primary: Postgres):
        self.primary = primary
        self.data = os.path.join(primary.root, "replica")
        self.port = free_port()
        self.started = False

    def start(self) -> None:
        pg = self.primary
        pg._run(
            f"{pg.bindir}/pg_basebackup", *pg._conn_args(), "-D", self.data, "-R",
            "-X", "stream", "--no-sync", "-c", "fast",
        )  # fmt: skip
        self.opts = pg.opts.replace(f"-p {pg.port} ", f"-p {self.port} ") + " -c hot_standby=on"
        pg._run(
            f"{pg.bindir}/pg_ctl", "-D", self.data, "-l", os.path.join(pg.root, "replica.log"),
            "-o", self.opts, "-w", "start", stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.started = True
        log(f"PostgreSQL streaming replica on 127.0.0.1:{self.port}")

    def url(self, role: str) -> str:
        return f"postgres://{role}@127.0.0.1:{self.port}/{DATABASE}"

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self.primary._run(
                    f"{self.primary.bindir}/pg_ctl", "-D", self.data, "-m", "immediate", "stop",
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip


class Redis:
    def __init__(self, root: str, keep: bool = False):
        self.root = root
        self.keep = keep
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.port_file = os.path.join(root, "redis.port")
        self.pid_file = os.path.join(root, "redis.pid")

    def running_port(self) -> int | None:
        """With a kept data directory: the port of a redis-server started there and
        still running (its pid and port files are written when it starts)."""
        if not self.keep:
            return None
        try:
            with open(self.pid_file) as f:
                pid = int(f.read().strip())
            with open(self.port_file) as f:
                port = int(f.read().strip())
            os.kill(pid, 0)
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return port
        except (OSError, ValueError):
            return None

    def start(self) -> str:
        running = self.running_port()
        if running:
            self.port = running
            log(f"Redis already running on 127.0.0.1:{self.port}")
            return f"redis://127.0.0.1:{self.port}/0"
        exe = shutil.which("redis-server")
        if not exe:
            raise RuntimeError("redis-server is not installed (run with --install)")
        self.proc = subprocess.Popen(
            [
                exe,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.root,
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        if self.keep:
            with open(self.pid_file, "w") as f:
                f.write(str(self.proc.pid))
            with open(self.port_file, "w") as f:
                f.write(str(self.port))
        log(f"Redis on 127.0.0.1:{self.port}")
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.proc and self.keep:
            for path in (self.pid_file, self.port_file):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--install", action="store_true", help="apt-get install what is missing")
    parser.add_argument(
        "--data-dir",
        help="keep the servers' data here between runs (for `make serve`) instead of a "
        "temporary directory removed afterwards",
    )
    parser.add_argument(
        "--replica",
        action="store_true",
        help="also start a streaming replica and export DATABASE_REPLICA_URL",
    )
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command after --")
    if args.install:
        install_missing()

    if args.data_dir:
        root = os.path.abspath(args.data_dir)
        os.makedirs(root, exist_ok=True)
    else:
        root = tempfile.mkdtemp(prefix="caseflow-services-")
    os.chmod(root, 0o755)
    keep = bool(args.data_dir)
    pg, redis = Postgres(root, keep=keep), Redis(root, keep=keep)
    replica = Replica(pg) if args.replica else None
    env = dict(os.environ)
    try:
        env["DATABASE_URL"] = pg.start()
        # What the application runs as (scripts/serve.sh); migrations and tests use the owner.
        env["DATABASE_APP_URL"] = pg.url(APP_ROLE)
        env["CASEFLOW_DB_APP_ROLE"] = APP_ROLE
        env["CELERY_BROKER_URL"] = redis.start()
        env["CASEFLOW_PG_BINDIR"] = pg.bindir or ""
        env["CASEFLOW_PG_DATA"] = pg.data
        env["CASEFLOW_PG_SOCKET_DIR"] = root
        env["CASEFLOW_PG_OPTS"] = pg.opts
        env["CASEFLOW_PG_LOG"] = os.path.join(root, "pg.log")
        if replica is not None:
            replica.start()
            env["DATABASE_REPLICA_URL"] = replica.url(APP_ROLE)
            env["CASEFLOW_PG_REPLICA_PORT"] = str(replica.port)
        child = subprocess.Popen(command, env=env)
        # Forward Ctrl-C / SIGTERM so the servers are still torn down.
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda s, f: child.send_signal(s))
        return child.wait()
    finally:
        redis.stop()
        if replica is not None:
            replica.stop()
        pg.stop()
        if not args.data_dir:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
