"""Start-up benchmark: ``create_app()`` on an existing, migrated database with every plugin.

Budget (issue 2): under 1 s. Measures both a warm start (modules already
imported, as in a test run or a worker fork) and a cold start (a new Python
process: imports included, as ``flask run`` or gunicorn pays it).

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PACKAGES = ["plugins", "tests.fixture_plugins"]
COLD = """
import sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
from app import create_app
app = create_app({config!r})
with app.test_request_context():
    pass
print(time.perf_counter() - start)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from app import create_app
    from app.testing import build_test_app

    folder = Path(tempfile.mkdtemp(prefix="occe-bench-"))
    app = build_test_app(folder, name="bench_startup", plugin_packages=PACKAGES)
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "OCCE_PLUGIN_PACKAGES")}
    config["INSTANCE_PATH"] = str(folder / "instance")
    plugins = len(app.extensions["occe_plugins"].describe())

    warm = []
    for _ in range(args.runs):
        start = time.perf_counter()
        create_app(dict(config))
        warm.append(time.perf_counter() - start)

    cold = []
    for _ in range(args.runs):
        output = subprocess.run([sys.executable, "-c", COLD.format(root=str(ROOT), config=config)], capture_output=True, text=True, check=True)
        cold.append(float(output.stdout.strip().splitlines()[-1]))

    print(f"plugins found: {plugins} (core areas, plugins/ and the contract's test plugins)")
    print("| start-up | median | min | max | budget |")
    print("|---|---|---|---|---|")
    for name, values in (("warm create_app()", warm), ("cold process: imports + create_app()", cold)):
        print(f"| {name} | {statistics.median(values) * 1000:.0f} ms | {min(values) * 1000:.0f} ms | {max(values) * 1000:.0f} ms | 1000 ms |")


if __name__ == "__main__":
    main()
