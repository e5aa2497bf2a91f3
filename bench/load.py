"""Load generator for Rasa's REST channel: serial and concurrent, bounded in count and time.

It only speaks HTTP to 127.0.0.1 and knows nothing about which bot answers, so
Sprout and the stock bot are driven by exactly the same code.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlparse

import requests

REQUEST_TIMEOUT_S = 60.0
LOCAL_HOSTS = frozenset({"127.0.0.1"})


@dataclass(frozen=True)
class Sample:
    """One answered (or failed) message."""

    offset: float
    seconds: float
    ok: bool
    replies: int
    cpu: float | None = None


@dataclass
class LoadResult:
    """What a load phase produced; wall_seconds spans the first send to the last answer."""

    samples: list[Sample] = field(default_factory=list)
    wall_seconds: float = 0.0

    @property
    def errors(self) -> int:
        return sum(not s.ok for s in self.samples)

    def latencies(self) -> list[float]:
        return [s.seconds for s in self.samples if s.ok]


def ensure_local(url: str) -> str:
    """Refuse any target but the loopback address, so a typo cannot load a real server."""
    host = urlparse(url).hostname
    if host not in LOCAL_HOSTS:
        raise ValueError(f"load target must be 127.0.0.1, not {host!r}")
    return url.rstrip("/")


def send(session: requests.Session, url: str, sender: str, text: str) -> tuple[float, bool, int]:
    """POST one message to the REST webhook: (seconds, ok, number of replies)."""
    started = time.perf_counter()
    try:
        response = session.post(
            f"{url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=REQUEST_TIMEOUT_S,
        )
        body = response.json() if response.status_code == 200 else None
        ok = isinstance(body, list)
        replies = len(body) if ok else 0
    except (requests.RequestException, ValueError):
        ok, replies = False, 0
    return time.perf_counter() - started, ok, replies


def serial(
    url: str,
    messages: Sequence[tuple[str, str]],
    *,
    time_limit_s: float,
    cpu_probe: Callable[[], float] | None = None,
) -> LoadResult:
    """Send (sender, text) pairs one after another; cpu_probe gives per-message server CPU."""
    url = ensure_local(url)
    result = LoadResult()
    begin = time.perf_counter()
    with requests.Session() as session:
        for sender, text in messages:
            if time.perf_counter() - begin > time_limit_s:
                break
            cpu_before = cpu_probe() if cpu_probe else None
            offset = time.perf_counter() - begin
            seconds, ok, replies = send(session, url, sender, text)
            cpu = cpu_probe() - cpu_before if cpu_probe and cpu_before is not None else None
            result.samples.append(Sample(offset, seconds, ok, replies, cpu))
    result.wall_seconds = time.perf_counter() - begin
    return result


def parse_serial(url: str, texts: Sequence[str], token: str, *, time_limit_s: float) -> LoadResult:
    """NLU only (POST /model/parse), to split a turn's time between NLU and the rest."""
    url = ensure_local(url)
    result = LoadResult()
    params = {"token": token} if token else {}
    begin = time.perf_counter()
    with requests.Session() as session:
        for text in texts:
            if time.perf_counter() - begin > time_limit_s:
                break
            offset = time.perf_counter() - begin
            try:
                response = session.post(
                    f"{url}/model/parse",
                    params=params,
                    json={"text": text},
                    timeout=REQUEST_TIMEOUT_S,
                )
                ok = response.status_code == 200 and "intent" in response.json()
            except (requests.RequestException, ValueError):
                ok = False
            result.samples.append(Sample(offset, time.perf_counter() - begin - offset, ok, int(ok)))
    result.wall_seconds = time.perf_counter() - begin
    return result


def concurrent(
    url: str,
    *,
    clients: int,
    duration_s: float,
    script_for: Callable[[int], Sequence[str]],
    sender_prefix: str,
    max_per_client: int = 2000,
) -> LoadResult:
    """Each client thread walks its own conversation script until duration_s has passed.

    A client starts a new sender id each time its script ends, so conversations keep
    a realistic length. No client starts a request after the deadline.
    """
    url = ensure_local(url)
    result = LoadResult()
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    begin = 0.0

    def client(index: int) -> None:
        script = script_for(index)
        samples: list[Sample] = []
        with requests.Session() as session:
            start.wait()
            for sent in range(max_per_client):
                if time.perf_counter() - begin >= duration_s:
                    break
                turn = sent % len(script)
                sender = f"{sender_prefix}-c{index}-r{sent // len(script)}"
                offset = time.perf_counter() - begin
                seconds, ok, replies = send(session, url, sender, script[turn])
                samples.append(Sample(offset, seconds, ok, replies))
        with lock:
            result.samples.extend(samples)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    begin = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join(timeout=duration_s + REQUEST_TIMEOUT_S + 5)
    result.wall_seconds = time.perf_counter() - begin
    result.samples.sort(key=lambda s: s.offset)
    return result


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(values: Sequence[float]) -> dict[str, float | int | None]:
    """Count, mean and the percentiles the report uses, in seconds."""
    return {
        "n": len(values),
        "mean": sum(values) / len(values) if values else None,
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else None,
    }
