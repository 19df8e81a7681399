"""tests/pg.py as xdist uses it: workers join one run and share its migrated template."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
WORKER = """
import json, sys
import psycopg
from tests import pg
pg.join(json.loads(sys.argv[1]))
with pg.fresh_database(migrated=True) as dsn, psycopg.connect(dsn) as conn:
    print(conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0])
pg.finish()
"""


def test_workers_of_a_run_make_one_template_and_leave_it_to_the_owner(pg_server: str) -> None:
    run = uuid.uuid4().hex[:12]
    shared = json.dumps({"dsn": pg_server, "run": run})
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, shared], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    done = [(w.communicate(timeout=180), w.returncode) for w in workers]
    with psycopg.connect(pg_server, autocommit=True) as conn:
        made = conn.execute("SELECT datname, datallowconn FROM pg_database "
                            "WHERE datname LIKE %s", (f"%{run}%",)).fetchall()
        for name, _ in made:
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
    for (_, err), code in done:
        assert code == 0, err
    counts = {int(out) for (out, _), _ in done}
    assert len(counts) == 1 and counts.pop() > 0, "every copy has every migration"
    # One template for the run, made by one worker while the other waited; still there
    # after each worker finished (only the run's owner drops it), and closed to connections.
    assert made == [(f"cs_test_template_{run}", False)]
