#!/usr/bin/env python
"""A bounded soak: 200 senders chatting with gunicorn on SQLite, over loopback, for a few minutes.

    .venv/bin/python bench/soak.py [--duration 180] [--senders 200]

Each sender is a thread with its own keep-alive connection playing golden conversations turn by turn
(golden/sales.jsonl, golden/onboarding.jsonl) against `POST /api/v1/chat`, thinking 1–3 s between
messages, below the per-sender limit (API_RATE_LIMIT_PER_MINUTE keeps its production default; the one
key's own limit, API_KEY_RATE_LIMIT_PER_MINUTE, is off). The server is the project's gunicorn.conf.py
on a throwaway SQLite file seeded with `seed_demo`.
Passes (exit 0) when: zero 5xx and no transport error, every message sent is stored (user Messages in the
database = requests sent), and the server log never says "database is locked". At most 10 minutes.
"""

import argparse
import http.client
import json
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import CHAT_PATH, GunicornServer, percentile, prepare_database, user_message_count
from bench.http_chat import golden_conversations

MAX_DURATION = 600
THINK_SECONDS = (1.0, 3.0)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.latencies_ms: list[float] = []

    def add(self, status: str, latency_ms: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies_ms.append(latency_ms)


def sender_loop(number: int, *, port: int, raw_key: str, deadline: float, tally: Tally) -> None:
    rng = random.Random(number)
    conversations = golden_conversations()
    sender = f"+52155{number:08d}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Authorization": f"Api-Key {raw_key}"}
    time.sleep(rng.uniform(0, THINK_SECONDS[1]))  # senders arrive spread out, not in one burst
    while time.monotonic() < deadline:
        assistant, turns = rng.choice(conversations)
        for text in turns:
            if time.monotonic() >= deadline:
                break
            body = json.dumps({"assistant": assistant, "from": sender, "message": text})
            started = time.perf_counter()
            try:
                connection.request("POST", CHAT_PATH, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = str(response.status)
            except (OSError, http.client.HTTPException) as error:
                status = f"transport error: {type(error).__name__}"
                connection.close()
            tally.add(status, (time.perf_counter() - started) * 1000)
            time.sleep(rng.uniform(*THINK_SECONDS))
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=180, help=f"seconds, at most {MAX_DURATION}")
    parser.add_argument("--senders", type=int, default=200)
    args = parser.parse_args()
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be between 1 and {MAX_DURATION} seconds")

    workdir = Path(tempfile.mkdtemp(prefix="kvky-bench-soak-"))
    try:
        database_url = f"sqlite:///{workdir / 'soak.sqlite3'}"
        raw_key = prepare_database(database_url)
        stored_before = user_message_count()
        tally = Tally()
        # One key speaks for all the senders here: its own limit (API_KEY_RATE_LIMIT_PER_MINUTE) is off.
        with GunicornServer(database_url=database_url, extra_env={"API_KEY_RATE_LIMIT_PER_MINUTE": "0"}) as server:
            print(f"soak: {args.senders} senders, {args.duration} s, gunicorn on SQLite at {server.base_url}")
            deadline = time.monotonic() + args.duration
            threads = [
                threading.Thread(
                    target=sender_loop,
                    args=(number,),
                    kwargs={"port": server.port, "raw_key": raw_key, "deadline": deadline, "tally": tally},
                )
                for number in range(args.senders)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            rss = server.worker_rss_mb()
            log = server.log()
        stored = user_message_count() - stored_before
        sent = sum(tally.statuses.values())
        server_errors = sum(count for status, count in tally.statuses.items() if status.startswith("5"))
        transport_errors = sum(count for status, count in tally.statuses.items() if status.startswith("transport"))
        locked = log.count("database is locked")
        by_status = dict(sorted(tally.statuses.items()))
        print(f"requests sent: {sent} ({sent / args.duration:.1f}/s); by status: {by_status}")
        latencies = tally.latencies_ms
        print(f"latency ms: p50 {percentile(latencies, 0.5):.1f}, p99 {percentile(latencies, 0.99):.1f},"
              f" max {max(latencies, default=0):.1f}")
        print(f"user messages stored: {stored} (sent {sent}): {'MATCH' if stored == sent else 'MISMATCH'}")
        print(f"5xx: {server_errors}; transport errors: {transport_errors}; "
              f"'database is locked' in server log: {locked}")
        print(f"RSS per worker after the soak (VmRSS, MB): {rss}")
        passed = server_errors == 0 and transport_errors == 0 and stored == sent and locked == 0
        print("soak: PASS" if passed else "soak: FAIL")
        sys.exit(0 if passed else 1)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
