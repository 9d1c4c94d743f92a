"""A small HTTP load generator: N client processes, each one request after another.

Run by `manage.py bench` as a separate process (so the portal's own Python does not share
its interpreter with the clients); standard library only:

    python bench/loadgen.py --port 8765 --clients 8 --duration 10 --plan plan.json

plan.json: {"cookie": "sessionid=...", "urls": ["/projects/partners/?country=3", ...]}.
Every client walks the URL list from its own offset, so concurrent clients ask for
different pages. Prints one JSON object: requests, rps, p50/p95/p99 in milliseconds,
status codes, errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import statistics
import time


def _client(
    index: int, args: argparse.Namespace, plan: dict, start_at: float, out
) -> None:
    urls = plan["urls"]
    headers = {"Cookie": plan.get("cookie", ""), "Host": args.host}
    conn = http.client.HTTPConnection(args.host, args.port, timeout=60)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors = 0
    warm_until = start_at + args.warmup
    stop_at = warm_until + args.duration
    n = index * 7
    while time.perf_counter() < start_at:
        time.sleep(0.001)
    while True:
        now = time.perf_counter()
        if now >= stop_at:
            break
        url = urls[n % len(urls)]
        n += 1
        t0 = time.perf_counter()
        try:
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(args.host, args.port, timeout=60)
            continue
        took = (time.perf_counter() - t0) * 1000
        if t0 >= warm_until:
            latencies.append(took)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
    out.put({"latencies": latencies, "statuses": statuses, "errors": errors})


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def run(args: argparse.Namespace, plan: dict) -> dict:
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    start_at = time.perf_counter() + 0.3
    procs = [
        ctx.Process(target=_client, args=(i, args, plan, start_at, out))
        for i in range(args.clients)
    ]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = [x for r in results for x in r["latencies"]]
    statuses: dict[str, int] = {}
    for r in results:
        for code, count in r["statuses"].items():
            statuses[code] = statuses.get(code, 0) + count
    return {
        "clients": args.clients,
        "duration_s": args.duration,
        "requests": len(latencies),
        "rps": round(len(latencies) / args.duration, 1),
        "p50_ms": round(_percentile(latencies, 0.50), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "statuses": statuses,
        "errors": sum(r["errors"] for r in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--plan", required=True, help="JSON file: cookie and urls")
    args = parser.parse_args()
    with open(args.plan) as fh:
        plan = json.load(fh)
    print(json.dumps(run(args, plan)))


if __name__ == "__main__":
    main()
