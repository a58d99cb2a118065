#!/usr/bin/env python
"""HTTP throughput and latency of `POST /api/v1/chat` under gunicorn, beside a bare Django JSON view.

    .venv/bin/python bench/http_chat.py [--db sqlite|postgres|both] [--duration 10] [--connections 4,32]

For each database (SQLite: a throwaway file; PostgreSQL: a throwaway cluster from .ci/postgres.sh) it
seeds the demo data (`seed_demo`) and an API key, starts gunicorn on loopback with the project's
gunicorn.conf.py (same workers and threads for both views; API_RATE_LIMIT_PER_MINUTE=0 and
API_KEY_RATE_LIMIT_PER_MINUTE=0 so the per-sender and per-key limits stay out of the way; workers not
recycled during the run) and runs `wrk` at each connection count against
  - `POST /api/v1/chat`: a realistic mix (every user turn of golden/sales.jsonl and golden/onboarding.jsonl,
    each to its assistant) from random senders out of a pool, so conversations grow as they would;
  - `POST /bench/bare`: the cheapest JSON view of the same stack (bench/bare_urls.py), the ratio's denominator.
Prints req/s, p50/p99 latency, the ratio to the bare view, and VmRSS per worker after the run.
Targets (issue 8): at 4 connections on SQLite ≥ 0.2 × bare throughput and p99 < 50 ms; ≤ 150 MB per worker.
wrk runs on the same machine and takes CPU from the server: the figures are a floor.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import BARE_PATH, CHAT_PATH, ROOT, GunicornServer, prepare_database

SENDER_POOL = 5000
TARGET_RATIO = 0.2
TARGET_P99_MS = 50.0
TARGET_RSS_MB = 150.0
WRK = shutil.which("wrk") or "/usr/bin/wrk"

LUA_TEMPLATE = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Api-Key %(key)s"
local turns = {
%(turns)s
}
local sender_pool = %(pool)d

function setup(thread)
  thread:set("seed", math.random(1, 2147483646))
end

function init(args)
  math.randomseed(seed + os.time())
end

function request()
  local turn = turns[math.random(#turns)]
  local sender = string.format("+5255%%08d", math.random(1, sender_pool))
  local body = string.format('{"assistant":"%%s","from":"%%s","message":%%s}', turn[1], sender, turn[2])
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    'WRK_RESULT {"requests":%%d,"duration_us":%%d,"non_2xx":%%d,"socket_errors":%%d,' ..
    '"p50_us":%%d,"p99_us":%%d,"max_us":%%d}\\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def golden_conversations() -> list[tuple[str, list[str]]]:
    """(assistant slug, the user's messages in order) of every conversation in the project's golden sets."""
    conversations = []
    for name in ("sales.jsonl", "onboarding.jsonl"):
        for line in (ROOT / "golden" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                conversation = json.loads(line)
                conversations.append((conversation["assistant"], [turn["user"] for turn in conversation["turns"]]))
    return conversations


def golden_turns() -> list[tuple[str, str]]:
    return [(assistant, text) for assistant, texts in golden_conversations() for text in texts]


def lua_script(raw_key: str) -> str:
    # Each message as a JSON string literal, inside a Lua long string: no escaping to get wrong.
    rows = ",\n".join(f'  {{"{assistant}", [==[{json.dumps(text)}]==]}}' for assistant, text in golden_turns())
    return LUA_TEMPLATE % {"key": raw_key, "turns": rows, "pool": SENDER_POOL}


def run_wrk(url: str, script: Path, *, connections: int, duration: int) -> dict[str, float]:
    threads = min(2, connections)
    command = [WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_RESULT "))
    result = json.loads(line.removeprefix("WRK_RESULT "))
    return {
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": result["non_2xx"] + result["socket_errors"],
        "requests": result["requests"],
    }


def bench_database(label: str, *, duration: int, connection_counts: list[int]) -> bool:
    workdir = Path(tempfile.mkdtemp(prefix="kvky-bench-http-"))
    try:
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
        raw_key = prepare_database(database_url)
        script = workdir / "chat.lua"
        script.write_text(lua_script(raw_key), encoding="utf-8")
        extra_env = {"API_RATE_LIMIT_PER_MINUTE": "0", "API_KEY_RATE_LIMIT_PER_MINUTE": "0"}
        with GunicornServer(database_url=database_url, extra_env=extra_env) as server:
            sizes = f"workers={server.config['workers']} threads={server.config['threads']}"
            mix = f"{len(golden_turns())} messages, {SENDER_POOL} senders"
            print(f"\n== {label}: gunicorn {sizes}, {duration} s per case, {mix} ==")
            run_wrk(server.base_url + CHAT_PATH, script, connections=4, duration=2)  # warm-up: caches, connections
            run_wrk(server.base_url + BARE_PATH, script, connections=4, duration=1)
            ok = True
            print(f"{'case':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'× bare':>9}")
            for connections in connection_counts:
                bare = run_wrk(server.base_url + BARE_PATH, script, connections=connections, duration=duration)
                chat = run_wrk(server.base_url + CHAT_PATH, script, connections=connections, duration=duration)
                ratio = chat["rps"] / bare["rps"]
                rows = (("bare view", bare, ""), ("POST /api/v1/chat", chat, f"{ratio:.2f}"))
                for name, figures, shown_ratio in rows:
                    print(f"{name + f' @ {connections} conn':<28}{figures['rps']:>9.0f}{figures['p50_ms']:>9.1f}"
                          f"{figures['p99_ms']:>9.1f}{figures['errors']:>8}{shown_ratio:>9}")
                ok &= chat["errors"] == 0
                if connections == 4 and label == "SQLite":
                    met = ratio >= TARGET_RATIO and chat["p99_ms"] < TARGET_P99_MS
                    print(f"  target @ 4 conn on SQLite: ≥ {TARGET_RATIO} × bare and p99 < {TARGET_P99_MS:.0f} ms -> "
                          f"{ratio:.2f} ×, p99 {chat['p99_ms']:.1f} ms: {'MET' if met else 'MISSED'}")
            rss = server.worker_rss_mb()
            print(f"RSS per worker after the run (VmRSS, MB): {rss}; target ≤ {TARGET_RSS_MB:.0f} MB: "
                  f"{'MET' if rss and max(rss) <= TARGET_RSS_MB else 'MISSED'}")
            if "database is locked" in server.log():
                print("server log: 'database is locked' seen")
                ok = False
        return ok
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10, help="seconds per case")
    parser.add_argument("--connections", default="4,32")
    parser.add_argument("--in-this-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    connection_counts = [int(count) for count in args.connections.split(",")]
    if args.in_this_process:
        label = "PostgreSQL" if args.db == "postgres" else "SQLite"
        sys.exit(0 if bench_database(label, duration=args.duration, connection_counts=connection_counts) else 1)
    failed = False
    for database in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        # One process per database: Django is set up once per process, against that database.
        command = [sys.executable, __file__, "--db", database, "--duration", str(args.duration),
                   "--connections", args.connections, "--in-this-process"]
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        if database == "postgres":
            command = [str(ROOT / ".ci" / "postgres.sh"), *command]
        failed |= subprocess.run(command, cwd=ROOT, env=env).returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
