"""A throwaway PostgreSQL + PostGIS cluster for the tests and benchmarks (initdb + pg_ctl in a temp folder)."""
from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg


class PgClusterError(RuntimeError):
    """PostgreSQL or PostGIS is missing, or the cluster did not start."""


PG_HINT = ("the PostGIS store tests need PostgreSQL and PostGIS: run scripts/test.sh, or "
           "`apt-get install postgresql postgresql-15-postgis-3`")


class PgCluster:
    """A PostgreSQL cluster in a temporary folder, on 127.0.0.1 and a free port, trust authentication.

    initdb refuses to run as root, so as root every server command runs as the `postgres` user the
    Debian package creates (`runuser -u postgres --`), in a folder handed to that user.
    """

    def __init__(self):
        initdbs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not initdbs:
            raise PgClusterError(f"PostgreSQL not found (no /usr/lib/postgresql/*/bin/initdb); {PG_HINT}")
        self.bin = initdbs[-1].parent
        version = self.bin.parent.name
        if not Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
            raise PgClusterError(f"PostGIS for PostgreSQL {version} not found; {PG_HINT}")
        as_root = os.geteuid() == 0
        self.user = "postgres" if as_root else getpass.getuser()
        self.prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
        self.dir = Path(tempfile.mkdtemp(prefix="geo-pg-"))
        if as_root:
            shutil.chown(self.dir, "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.data = self.dir / "data"
        self.base = f"postgresql://{self.user}@127.0.0.1:{self.port}"
        self._count = 0
        try:
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", self.user, "-E", "UTF8",
                      "--locale=C", "--no-sync")
            # durability off: a test cluster lives for one run
            options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                       f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
            self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w",
                      "-o", options, "start")
            self.admin("CREATE DATABASE geo_template")
            self.admin("CREATE EXTENSION postgis", db="geo_template")
        except (PgClusterError, psycopg.Error, OSError) as exc:
            self.stop()
            raise PgClusterError(f"the test PostgreSQL cluster did not start: {exc}") from exc

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.prefix, str(self.bin / tool), *args], capture_output=True, text=True)
        if done.returncode:
            raise PgClusterError(f"{tool} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")

    def admin(self, sql: str, db: str = "postgres") -> None:
        with psycopg.connect(f"{self.base}/{db}", autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self) -> str:
        """A fresh, empty database with PostGIS installed; returns its URL."""
        self._count += 1
        name = f"geo_test_{self._count}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE geo_template")
        return f"{self.base}/{name}"

    def stop(self) -> None:
        subprocess.run([*self.prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
