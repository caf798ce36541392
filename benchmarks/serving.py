"""Serving benchmark: bounded load on loopback against /invocations and /api/recommendations.

The served model is the newest ``data/06_models/model.tar.gz`` (``kedro run --pipeline
deployment``), unpacked as SageMaker would, served by ``uvicorn`` in its own process(es); the
load generator is this process (asyncio, raw HTTP/1.1 keep-alive, one connection per concurrent
client), so client and server do not share a GIL. Scenarios, each on a fresh server:

- ``ping``: ``GET /ping``, the framework's floor (baseline).
- ``invocations``: ``POST /invocations`` with a mix of known users and cold-start profiles,
  answer cache off (every request computed).
- ``api``: ``POST /api/recommendations`` with the same mix (plus impressions written to SQLite),
  cache off.
- ``api_2_workers``: the same with two uvicorn workers (the other baseline).
- ``api_cached``: ``api`` with the answer cache on, after every distinct request was sent once:
  the cost of a repeated request (the hit rate is reported).
- ``api_cached_at_500_rps``: open loop, requests scheduled at 500/s with at most 50 in flight,
  cache on; latency is measured from the scheduled send time, so queueing counts (no
  coordinated omission).

Closed-loop scenarios keep 50 requests in flight: by Little's law their latency is
``50 / throughput``, so the p99 goal (20 ms) there would need 2,500 requests/s; the open-loop
run measures latency at the throughput goal (500 requests/s) instead. Goals: p99 <= 20 ms at 50
concurrent, >= 500 requests/s on 2 cores, zero errors.

Environment: ``MOVIA_BENCH_SECONDS`` (default 30) per scenario, ``MOVIA_BENCH_MODEL`` (a model
archive or directory; default the newest pipeline version).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np

from benchmarks.measure import ROOT

CONCURRENCY = 50
TARGET_RPS = 500
P99_GOAL_MS = 20.0
REPORTING = ROOT / "data" / "08_reporting"


# --- the server under test -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``uvicorn`` serving the app factory in child processes, stopped by process id."""

    def __init__(
        self, model_dir: Path, workers: int, events: Path, cache: bool
    ) -> None:
        self.port = _free_port()
        env = {
            **os.environ,
            "MOVIA_MODEL_DIR": str(model_dir),
            "MOVIA_EVENT_STORE": str(events),
            "MOVIA_ENDPOINT_NAME": "movia-bench",
            "MOVIA_ANSWER_CACHE": "4096" if cache else "0",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "movia.serving.app:app_from_environment",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the server exited during start-up")
            try:
                with urllib.request.urlopen(f"{self.url}/ping", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not answer /ping in time")

    def cache_lookups(self) -> dict[str, float]:
        """Answer-cache hits and misses so far (one worker's, from /metrics)."""
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=5) as response:
            text = response.read().decode()
        counts = {"hit": 0.0, "miss": 0.0}
        for line in text.splitlines():
            for result in counts:
                if line.startswith(
                    f'movia_answer_cache_lookups_total{{result="{result}"}}'
                ):
                    counts[result] = float(line.rsplit(" ", 1)[1])
        return counts

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- requests --------------------------------------------------------------------------------


def _raw(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


def request_mix(url: str, seed: int = 0) -> list[dict]:
    """Known users and cold-start profiles the model answers with 200 (checked once each)."""
    import pandas as pd

    rng = random.Random(seed)
    ratings = pd.read_parquet(ROOT / "data/03_primary/ratings.parquet")
    movies = pd.read_parquet(ROOT / "data/03_primary/movies.parquet")
    popular = ratings["movie_id"].value_counts().index[:300]
    titles = movies.set_index("movie_id").loc[popular, "title"].tolist()
    genres = sorted({g for row in movies["genres"] for g in row})
    texts = [
        ("una comedia romántica ligera para ver en pareja", "es"),
        ("algo de miedo con mucha tensión", "es"),
        ("a mind-bending science fiction thriller", "en"),
        ("a heartwarming animated film for the whole family", "en"),
    ]
    users = sorted(ratings["user_id"].unique().tolist())
    candidates: list[dict] = [
        {"user_id": int(u), "k": 10} for u in rng.sample(users, 60)
    ]
    for _ in range(60):
        candidates.append(
            {"liked_titles": rng.sample(titles, rng.randint(1, 3)), "k": 10}
        )
        candidates.append({"genres": rng.sample(genres, rng.randint(1, 2)), "k": 10})
    for text, lang in texts:
        candidates.append({"text": text, "lang": lang, "k": 10})
    accepted = []
    for body in candidates:
        request = urllib.request.Request(
            f"{url}/invocations",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                if response.status == 200:
                    accepted.append(body)
        except urllib.error.HTTPError:
            continue
    rng.shuffle(accepted)
    return accepted


def _kind(body: dict) -> str:
    """Request kind, for latency per kind: user, titles, genres or text."""
    for key, kind in (
        ("user_id", "user"),
        ("text", "text"),
        ("liked_titles", "titles"),
    ):
        if key in body:
            return kind
    return "genres"


# --- the load generator ----------------------------------------------------------------------


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, payload: bytes
) -> int:
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def _closed_loop(
    port: int, payloads: list[tuple[str, bytes]], seconds: float
) -> dict:
    latencies: list[tuple[str, float]] = []
    statuses: dict[int, int] = {}
    deadline = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        index = offset
        while time.perf_counter() < deadline:
            kind, payload = payloads[index % len(payloads)]
            started = time.perf_counter()
            status = await _exchange(reader, writer, payload)
            latencies.append((kind, time.perf_counter() - started))
            statuses[status] = statuses.get(status, 0) + 1
            index += CONCURRENCY
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(CONCURRENCY)))
    return _summary(latencies, statuses, time.perf_counter() - started)


async def _prime(port: int, payloads: list[tuple[str, bytes]]) -> None:
    """Send every distinct request once, so a cached run measures repeated requests only."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for _, payload in payloads:
        await _exchange(reader, writer, payload)
    writer.close()


async def _open_loop(
    port: int, payloads: list[tuple[str, bytes]], seconds: float, rate: float
) -> dict:
    latencies: list[tuple[str, float]] = []
    statuses: dict[int, int] = {}
    pool: asyncio.Queue = asyncio.Queue()
    for _ in range(CONCURRENCY):
        pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))

    async def send(scheduled: float, kind: str, payload: bytes) -> None:
        reader, writer = await pool.get()
        status = await _exchange(reader, writer, payload)
        latencies.append((kind, time.perf_counter() - scheduled))
        statuses[status] = statuses.get(status, 0) + 1
        pool.put_nowait((reader, writer))

    tasks = []
    started = time.perf_counter()
    for index in range(int(seconds * rate)):
        scheduled = started + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        kind, payload = payloads[index % len(payloads)]
        tasks.append(asyncio.create_task(send(scheduled, kind, payload)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    while not pool.empty():
        pool.get_nowait()[1].close()
    return {**_summary(latencies, statuses, elapsed), "offered_rps": rate}


def _percentiles(values_ms: np.ndarray) -> dict:
    return {
        "p50_ms": round(float(np.percentile(values_ms, 50)), 2),
        "p95_ms": round(float(np.percentile(values_ms, 95)), 2),
        "p99_ms": round(float(np.percentile(values_ms, 99)), 2),
        "max_ms": round(float(values_ms.max()), 2),
    }


def _summary(
    latencies: list[tuple[str, float]], statuses: dict[int, int], elapsed: float
) -> dict:
    """Overall figures, and latency per request kind (a sentence costs a MiniLM pass)."""
    kinds = np.array([kind for kind, _ in latencies])
    values = np.array([seconds for _, seconds in latencies]) * 1000
    errors = sum(count for status, count in statuses.items() if status != 200)
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        **_percentiles(values),
        "errors": errors,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "by_kind": {
            kind: {
                "requests": int((kinds == kind).sum()),
                **_percentiles(values[kinds == kind]),
            }
            for kind in sorted(set(kinds.tolist()))
        },
    }


def _run(coroutine) -> dict:  # noqa: ANN001 - a coroutine
    try:
        import uvloop

        return uvloop.run(coroutine)
    except ImportError:
        return asyncio.run(coroutine)


# --- the benchmark ---------------------------------------------------------------------------


def _model_dir(scratch: Path) -> tuple[Path, str]:
    from movia.serving.model_files import (
        DEFAULT_ARCHIVE,
        latest_version,
        resolve_model_dir,
    )

    source = Path(os.environ.get("MOVIA_BENCH_MODEL") or ROOT / DEFAULT_ARCHIVE)
    label = str(latest_version(source) if not source.is_dir() else source)
    return resolve_model_dir(source, scratch), label


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _screenshot(url: str) -> str | None:
    """The page with real recommendations, for the docs (needs Debian's chromium)."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return None
    from playwright.sync_api import sync_playwright

    path = REPORTING / "serving_page.png"
    args = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-quic",
    ]  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=args)
        page = browser.new_page(viewport={"width": 1100, "height": 1500})
        page.goto(url)
        page.get_by_label("Busca un título y pulsa Intro").fill("toy story")
        page.get_by_role("option").first.wait_for()
        page.keyboard.press("Enter")
        page.get_by_label("Animación").check()
        page.locator("#result-list > li").first.wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=str(path), full_page=True)
        browser.close()
    return str(path.relative_to(ROOT))


def run() -> dict:
    seconds = float(os.environ.get("MOVIA_BENCH_SECONDS", "30"))
    scratch = Path(tempfile.mkdtemp(prefix="movia-bench-"))
    model_dir, archive = _model_dir(scratch / "model")
    result: dict = {
        "model": archive,
        "concurrency": CONCURRENCY,
        "seconds_per_scenario": seconds,
        "load_before": _load(),
        "scenarios": {},
    }
    # (name, workers, answer cache, method, path, open-loop rate or None)
    scenarios = [
        ("ping", 1, False, "GET", "/ping", None),
        ("invocations", 1, False, "POST", "/invocations", None),
        ("api", 1, False, "POST", "/api/recommendations", None),
        ("api_2_workers", 2, False, "POST", "/api/recommendations", None),
        ("api_cached", 1, True, "POST", "/api/recommendations", None),
        ("api_cached_at_500_rps", 1, True, "POST", "/api/recommendations", TARGET_RPS),
    ]
    mix: list[dict] = []
    for name, workers, cache, method, path, rate in scenarios:
        server = Server(model_dir, workers, scratch / f"{name}.sqlite", cache)
        try:
            if not mix:
                mix = request_mix(server.url)
                kinds = [_kind(body) for body in mix]
                result["request_mix"] = {
                    kind: kinds.count(kind) for kind in sorted(set(kinds))
                }
                result["screenshot"] = _screenshot(server.url)
            if method == "GET":
                payloads = [("ping", _raw(method, path))]
            else:
                payloads = [
                    (_kind(body), _raw(method, path, json.dumps(body).encode()))
                    for body in mix
                ]
            if cache:
                _run(_prime(server.port, payloads))  # every answer computed once
            _run(_closed_loop(server.port, payloads, 2.0))  # warm-up
            if rate is None:
                measured = _run(_closed_loop(server.port, payloads, seconds))
            else:
                measured = _run(_open_loop(server.port, payloads, seconds, rate))
            lookups = server.cache_lookups() if cache and workers == 1 else None
            result["scenarios"][name] = {
                "workers": workers,
                "answer_cache": cache,
                "path": path,
                **measured,
                "cache_hit_rate": round(
                    lookups["hit"] / max(1.0, sum(lookups.values())), 4
                )
                if lookups
                else None,
                "load_after": _load(),
            }
            print(name, result["scenarios"][name], flush=True)
        finally:
            server.stop()
    rows = result["scenarios"]
    at_rate = rows["api_cached_at_500_rps"]
    uncached = max(
        rows["api"]["requests_per_second"], rows["api_2_workers"]["requests_per_second"]
    )
    result["goals"] = {
        "p99_goal_ms": P99_GOAL_MS,
        "rps_goal": TARGET_RPS,
        "p99_ms_at_500_rps_cached": at_rate["p99_ms"],
        "p99_met_cached": at_rate["p99_ms"] <= P99_GOAL_MS,
        "max_rps_api_cached": rows["api_cached"]["requests_per_second"],
        "rps_met_cached": rows["api_cached"]["requests_per_second"] >= TARGET_RPS,
        "max_rps_api_uncached": uncached,
        "rps_met_uncached": uncached >= TARGET_RPS,
        "zero_errors": all(row["errors"] == 0 for row in rows.values()),
    }
    return result


def markdown(result: dict) -> str:
    goals = result["goals"]
    lines = [
        "## Serving (loopback load, uvicorn)",
        "",
        f"Model `{result['model']}`; distinct requests by kind {result['request_mix']}; "
        f"{result['concurrency']} connections, {result['seconds_per_scenario']:.0f} s per "
        f"scenario; load average before {result['load_before']}.",
        "",
        "| scenario | workers | cache (hit rate) | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in result["scenarios"].items():
        cache = f"on ({row['cache_hit_rate']:.0%})" if row["answer_cache"] else "off"
        lines.append(
            f"| {name} ({row['path']}) | {row['workers']} | {cache} | "
            f"{row['requests_per_second']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['p99_ms']} | {row['errors']} |"
        )
    lines += [
        "",
        "Latency by request kind, `api` scenario (ms, p50 / p99): "
        + ", ".join(
            f"{kind} {row['p50_ms']} / {row['p99_ms']}"
            for kind, row in result["scenarios"]["api"]["by_kind"].items()
        )
        + ".",
        "",
        f"Goals: p99 <= {goals['p99_goal_ms']} ms at {goals['rps_goal']} req/s (repeated "
        f"requests, cache on): {goals['p99_ms_at_500_rps_cached']} ms "
        f"({'met' if goals['p99_met_cached'] else 'NOT met'}); >= {goals['rps_goal']} req/s at "
        f"50 concurrent: cache on {goals['max_rps_api_cached']} "
        f"({'met' if goals['rps_met_cached'] else 'NOT met'}), every request computed "
        f"{goals['max_rps_api_uncached']} ({'met' if goals['rps_met_uncached'] else 'NOT met'});"
        f" zero errors: {'yes' if goals['zero_errors'] else 'NO'}.",
    ]
    return "\n".join(lines)
