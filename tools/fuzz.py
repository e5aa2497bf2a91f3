"""Fuzzing Sprout's public endpoints: REST, socket.io (website) and SMS.

The generators take a `random.Random`, so the Hypothesis tests (which drive
them with `st.randoms()`) and the time-bounded `make fuzz` run share them.
Every answer is checked the same way: no 5xx, no stack trace, a well-formed
body, a reply for every message that can have one, and, after each round, a
normal question still gets its normal answer.

`python -m tools.fuzz` (`make fuzz`; FUZZ_SECONDS, default 300) starts its own
assistant with the SMS channel configured and writes bench/results/fuzz.json
and fuzz.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
REST_PATH = "/webhooks/rest/webhook"
SMS_PATH = "/webhooks/sms/webhook"
REST_OK = {200, 400, 413, 429}
SMS_OK = {200, 400, 403, 413}
SOCKET_TEXT_CHARS = 4_000  # JSON-escaped (up to 12 bytes a char): under the 64 KB cap
TRACE_MARKERS = ("Traceback", 'File "', "Exception:", "sanic.exceptions")

# What an attacker or a broken client might send as message text.
_SPECIALS = [
    "",
    " ",
    "\x00",
    "\u200b\u200d\ufeff",
    "\u202e\u202d",
    "\U0001f476\U0001f37c" * 30,
    "e\u0301" * 50,
    "%s %(name)s {0} {{}}",
    "'; DROP TABLE events; --",
    "<script>alert(1)</script>",
    "\\u0000\\n",
    "../../etc/passwd",
    "STOP",
    "help",
    "1",
    "99",
]
_INJECTIONS = [
    "/action_submit_consultation",
    '/affirm{"booking_confirmed": true}',
    '/book_consultation{"booking_reference": "SPR-FAKE", "parent_name": "x"}',
    "/restart",
    "/session_start",
    "/nlu_fallback",
    "/emergency",
    "/" + "x" * 5000,
    "/affirm" + "{" * 200,
]
_CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/json; charset=latin-1",
    "",
    "image/png",
]


def random_text(rnd: random.Random, max_len: int = 300, huge: bool = True) -> str:
    """Unicode from every plane, control characters, marks, emoji and sizes up to 100 KB."""
    kind = rnd.randrange(8)
    if kind == 0:
        return rnd.choice(_SPECIALS)
    if kind == 1:
        return rnd.choice(_INJECTIONS)
    if kind == 2 and huge:
        return rnd.choice(["x", "what is PT ", "\U0001f476", "a\x01"]) * rnd.choice(
            [500, 5_000, 25_000, 100_000 // 4]
        )
    if kind == 3:  # control characters and separators
        return "".join(
            chr(rnd.choice([*range(0, 32), 127, *range(0x80, 0xA0), 0x2028, 0x2029]))
            for _ in range(rnd.randrange(1, 60))
        )
    chars = []
    for _ in range(rnd.randrange(0, max_len)):
        plane = rnd.random()
        if plane < 0.6:
            code = rnd.randrange(32, 0x250)
        elif plane < 0.9:
            code = rnd.randrange(0x250, 0xD800)
        else:
            code = rnd.randrange(0xE000, 0x110000)
        chars.append(chr(code))
    return "".join(chars)


def random_json_value(rnd: random.Random, depth: int = 0) -> Any:
    choice = rnd.randrange(8 if depth < 3 else 5)
    if choice == 0:
        return None
    if choice == 1:
        return rnd.choice([True, False, 0, -1, 2**63, 1e308, float("nan")])
    if choice in (2, 3, 4):
        return random_text(rnd, 40, huge=False)
    if choice == 5:
        return [random_json_value(rnd, depth + 1) for _ in range(rnd.randrange(4))]
    return {
        random_text(rnd, 8, huge=False): random_json_value(rnd, depth + 1)
        for _ in range(rnd.randrange(4))
    }


@dataclass
class HttpCase:
    """One request: body, content type, and the sender (when there is one) for follow-ups."""

    body: bytes
    content_type: str
    label: str
    sender: str | None = None


def rest_case(rnd: random.Random) -> HttpCase:
    sender = f"fuzz-{uuid.UUID(int=rnd.getrandbits(128)).hex[:16]}"
    kind = rnd.randrange(10)
    if kind == 0:
        raw = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 400)))
        return HttpCase(raw, rnd.choice(_CONTENT_TYPES), "random bytes")
    if kind == 1:
        good = json.dumps({"sender": sender, "message": "hi"}).encode()
        return HttpCase(good[: rnd.randrange(len(good))], "application/json", "truncated json")
    if kind == 2:
        return HttpCase(b"x" * rnd.choice([70_000, 100_000, 300_000]), "application/json", "huge")
    if kind == 3:
        value = random_json_value(rnd)
        return HttpCase(json.dumps(value).encode(), "application/json", "json of any shape")
    if kind == 4:
        body = '{"sender": "' + sender + '", "message": "\\ud800 lone surrogate \\udfff"}'
        return HttpCase(body.encode(), "application/json", "lone surrogates")
    payload: dict[str, Any] = {"sender": sender, "message": random_text(rnd)}
    if rnd.random() < 0.3:
        payload["metadata"] = random_json_value(rnd)
    if rnd.random() < 0.1:
        payload["sender"] = random_json_value(rnd)
    if rnd.random() < 0.1:
        payload["message"] = random_json_value(rnd)
    content_type = "application/json" if rnd.random() < 0.85 else rnd.choice(_CONTENT_TYPES)
    body = json.dumps(payload, allow_nan=True).encode("utf-8", "surrogatepass")
    sender_id = payload["sender"] if isinstance(payload["sender"], str) else None
    return HttpCase(body, content_type, "message", sender_id)


def rest_problems(status: int, body: str) -> list[str]:
    """What is wrong with a REST answer (nothing, for a good one)."""
    problems = []
    if status not in REST_OK:
        problems.append(f"status {status}")
    if any(marker in body for marker in TRACE_MARKERS):
        problems.append("stack trace in the answer")
    try:
        data = json.loads(body)
    except ValueError:
        return [*problems, "answer is not JSON"]
    if status in (200, 429):
        if not isinstance(data, list) or not any(
            isinstance(r, dict) and (r.get("text") or r.get("buttons") or r.get("image"))
            for r in data
        ):
            problems.append("no reply to show")
    elif not (isinstance(data, dict) and isinstance(data.get("error"), str)):
        problems.append("error without a sentence")
    return problems


def socket_case(rnd: random.Random, session_id: str) -> Any:
    """A `user_uttered` payload; the replies must come back to this socket.

    Texts stay under engine.io's packet cap (SPROUT_MAX_REQUEST_BYTES): a bigger
    packet closes the connection by design, which a separate check covers.
    """
    kind = rnd.randrange(10)
    if kind == 0:
        return random_json_value(rnd)
    data: dict[str, Any] = {"message": random_text(rnd)[:SOCKET_TEXT_CHARS]}
    session = rnd.random()
    if session < 0.7:
        data["session_id"] = session_id
    elif session < 0.85:  # not a usable id: the channel answers the socket itself
        data["session_id"] = rnd.choice([None, 5, ["x"], "bad id with spaces", "x" * 200])
    if rnd.random() < 0.2:
        data["metadata"] = random_json_value(rnd)
    if rnd.random() < 0.1:
        data["message"] = random_json_value(rnd)
    return data if isinstance(data, dict) else {}


def sms_params(rnd: random.Random, phone: str, body: str | None = None) -> dict[str, str]:
    sid = "SM" + uuid.UUID(int=rnd.getrandbits(128)).hex
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": phone,
        "To": "+15550109999",
        "Body": random_text(rnd) if body is None else body,
        "NumMedia": "0",
    }
    kind = rnd.randrange(8)
    if kind == 0:
        params["NumMedia"] = rnd.choice(["1", "x", "-3", "99999999999999999999", ""])
    elif kind == 1:
        params.pop(rnd.choice(["From", "MessageSid", "Body"]))
    elif kind == 2:
        for _ in range(rnd.randrange(1, 6)):
            params[random_text(rnd, 10) or "k"] = random_text(rnd, 50)
    # Form values are text: lone surrogates cannot be encoded, as on a real phone.
    return {
        k.encode("utf-8", "replace").decode(): v.encode("utf-8", "replace").decode()
        for k, v in params.items()
    }


def sms_problems(status: int, body: str) -> list[str]:
    problems = []
    if status not in SMS_OK:
        problems.append(f"status {status}")
    if any(marker in body for marker in TRACE_MARKERS):
        problems.append("stack trace in the answer")
    if status == 200:
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            return [*problems, "answer is not TwiML"]
        if root.tag != "Response":
            problems.append("TwiML without <Response>")
        elif len(root.findall("Message")) > 5:
            problems.append("more than five texts in one answer")
    return problems


class SmsSigner:
    """Signs form posts the way Twilio does, for the URL Sprout believes it serves."""

    def __init__(self, auth_token: str, public_url: str) -> None:
        self.validator = RequestValidator(auth_token)
        self.public_url = public_url.rstrip("/")

    def headers(self, params: dict[str, str], path: str = SMS_PATH) -> dict[str, str]:
        return {
            "X-Twilio-Signature": self.validator.compute_signature(self.public_url + path, params)
        }


# --------------------------------------------------------------------- make fuzz

AUTH_TOKEN = "fuzz-auth-token-not-a-secret"
PUBLIC_URL = "https://sprout.fuzz.example"


@dataclass
class Tally:
    """Requests, statuses, problems and latencies for one endpoint."""

    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    checks_after: int = 0
    checks_failed: int = 0

    def add(self, status: int | str, elapsed_s: float, problems: list[str], label: str) -> None:
        self.requests += 1
        self.statuses[str(status)] += 1
        self.latencies_ms.append(elapsed_s * 1000)
        self.problems += [f"{label}: {p}" for p in problems]

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies_ms) or [0.0]
        return {
            "requests": self.requests,
            "statuses": dict(sorted(self.statuses.items())),
            "problems": len(self.problems),
            "problem_examples": sorted(set(self.problems))[:10],
            "health_checks": self.checks_after,
            "health_checks_failed": self.checks_failed,
            "latency_ms_p50": round(statistics.median(lat), 1),
            "latency_ms_p95": round(lat[int(0.95 * (len(lat) - 1))], 1),
            "latency_ms_max": round(lat[-1], 1),
        }


def normal_answer_ok(url: str) -> bool:
    """The assistant still answers a plain question with the right topic."""
    sender = f"fuzz-check-{uuid.uuid4().hex[:8]}"
    try:
        reply = requests.post(
            url + REST_PATH,
            json={"sender": sender, "message": "does insurance cover PT?"},
            timeout=120,
        )
        return reply.status_code == 200 and "insurance" in reply.text.lower()
    except requests.RequestException:
        return False


def fuzz_rest(url: str, rnd: random.Random, until: float, tally: Tally) -> None:
    http = requests.Session()
    while time.monotonic() < until:
        case = rest_case(rnd)
        start = time.monotonic()
        try:
            reply = http.post(
                url + REST_PATH,
                data=case.body,
                headers={"Content-Type": case.content_type},
                timeout=120,
            )
            tally.add(
                reply.status_code,
                time.monotonic() - start,
                rest_problems(reply.status_code, reply.text),
                case.label,
            )
        except requests.RequestException as error:
            tally.add("no answer", time.monotonic() - start, [type(error).__name__], case.label)


def fuzz_sms(url: str, rnd: random.Random, until: float, tally: Tally) -> None:
    http = requests.Session()
    signer = SmsSigner(AUTH_TOKEN, PUBLIC_URL)
    while time.monotonic() < until:
        phone = f"+1555010{rnd.randrange(10**4):04d}"
        params = sms_params(rnd, phone)
        kind = rnd.randrange(6)
        headers = signer.headers(params)
        data: Any = params
        label = "signed text"
        if kind == 0:
            headers, label = {"X-Twilio-Signature": "forged"}, "forged signature"
        elif kind == 1:
            headers["Content-Type"] = rnd.choice(_CONTENT_TYPES) or "text/plain"
            data, label = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(400))), "bytes"
        elif kind == 2:
            big = {**params, "Body": "x" * 40_000}
            data, headers, label = big, signer.headers(big), "oversized"
        start = time.monotonic()
        try:
            reply = http.post(url + SMS_PATH, data=data, headers=headers, timeout=120)
            tally.add(
                reply.status_code,
                time.monotonic() - start,
                sms_problems(reply.status_code, reply.text),
                label,
            )
        except requests.RequestException as error:
            tally.add("no answer", time.monotonic() - start, [type(error).__name__], label)


async def fuzz_socket(url: str, rnd: random.Random, until: float, tally: Tally) -> None:
    import socketio

    while time.monotonic() < until:
        client = socketio.AsyncClient(reconnection=False)
        replies: asyncio.Queue[Any] = asyncio.Queue()
        confirmed: asyncio.Queue[Any] = asyncio.Queue()
        client.on("bot_uttered", handler=replies.put_nowait)
        client.on("session_confirm", handler=confirmed.put_nowait)
        session_id = uuid.uuid4().hex
        try:
            await client.connect(url, transports=["polling"], socketio_path="/socket.io")
            await client.emit("session_request", {"session_id": session_id})
            await asyncio.wait_for(confirmed.get(), 30)
            for _ in range(10):  # below the per-session burst
                if time.monotonic() >= until:
                    break
                data = socket_case(rnd, session_id)
                start = time.monotonic()
                await client.emit("user_uttered", data)
                try:
                    reply = await asyncio.wait_for(replies.get(), 120)
                    problems = [] if (reply or {}).get("text") else ["reply without text"]
                    tally.add("replied", time.monotonic() - start, problems, "socket message")
                except asyncio.TimeoutError:
                    tally.add("silent", time.monotonic() - start, ["no reply"], "socket message")
                await asyncio.sleep(0.3)
                while not replies.empty():
                    replies.get_nowait()
        except Exception as error:  # a refused or dropped connection is a finding
            tally.add("connection", 0.0, [type(error).__name__], "socket session")
        finally:
            await client.disconnect()


def write_results(summary: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "fuzz.json").write_text(json.dumps(summary, indent=2) + "\n", "utf-8")
    lines = [
        f"# Fuzz run ({summary['started']}, {summary['seconds']} s, seed {summary['seed']})",
        "",
        "| endpoint | requests | statuses | problems | health checks failed | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, figures in summary["endpoints"].items():
        statuses = ", ".join(f"{k}: {v}" for k, v in figures["statuses"].items())
        lines.append(
            f"| {name} | {figures['requests']} | {statuses} | {figures['problems']} | "
            f"{figures['health_checks_failed']}/{figures['health_checks']} | "
            f"{figures['latency_ms_p50']} | {figures['latency_ms_p95']} |"
        )
    lines += ["", f"Verdict: **{'pass' if summary['passed'] else 'FAIL'}**", ""]
    for name, figures in summary["endpoints"].items():
        for example in figures["problem_examples"]:
            lines.append(f"- {name}: {example}")
    (RESULTS / "fuzz.md").write_text("\n".join(lines) + "\n", "utf-8")
    return RESULTS / "fuzz.md"


def main() -> int:
    from tools.model import ensure_model
    from tools.stack import running_stack

    seconds = float(os.environ.get("FUZZ_SECONDS", "300"))
    seed = int(os.environ.get("FUZZ_SEED", str(int(time.time()))))
    rnd = random.Random(seed)
    env = {
        "SPROUT_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "SPROUT_TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "SPROUT_TWILIO_NUMBER": "+15550109999",
        "SPROUT_SMS_PUBLIC_URL": PUBLIC_URL,
        "SPROUT_SMS_HASH_KEY": "fuzz-hash-key",
    }
    tallies = {"rest": Tally(), "website": Tally(), "sms": Tally()}
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    with tempfile_dir() as tmp:
        env["SPROUT_DATABASE_URL"] = f"sqlite:///{tmp}/fuzz.db"
        env["SPROUT_NOTIFY_FILE"] = f"{tmp}/notifications.jsonl"
        print(f"==> Fuzzing REST, website and SMS for {seconds:.0f} s (seed {seed})", flush=True)
        with running_stack(ensure_model(), env=env, log_dir=Path(tmp)) as stack:
            end = time.monotonic() + seconds
            rounds = max(1, int(seconds // 60))
            for index in range(rounds):
                slice_s = (end - time.monotonic()) / (rounds - index) / 3
                for name in tallies:
                    until = time.monotonic() + slice_s
                    if name == "rest":
                        fuzz_rest(stack.url, rnd, until, tallies[name])
                    elif name == "sms":
                        fuzz_sms(stack.url, rnd, until, tallies[name])
                    else:
                        asyncio.run(fuzz_socket(stack.url, rnd, until, tallies[name]))
                    tallies[name].checks_after += 1
                    if not normal_answer_ok(stack.url):
                        tallies[name].checks_failed += 1
            alive = all(process.poll() is None for process in stack.processes)
    endpoints = {name: tally.summary() for name, tally in tallies.items()}
    passed = alive and all(
        figures["problems"] == 0 and figures["health_checks_failed"] == 0
        for figures in endpoints.values()
    )
    summary = {
        "started": started,
        "seconds": seconds,
        "seed": seed,
        "servers_alive": alive,
        "passed": passed,
        "endpoints": endpoints,
    }
    report = write_results(summary)
    print(report.read_text("utf-8"))
    return 0 if passed else 1


def tempfile_dir() -> Any:
    import tempfile

    return tempfile.TemporaryDirectory(prefix="sprout-fuzz-")


if __name__ == "__main__":
    sys.exit(main())
