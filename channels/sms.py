"""SMS through Twilio: a signed webhook that replies in TwiML.

Rasa's built-in Twilio channel trusts any POST and sends buttons as raw
payloads. This channel checks Twilio's signature before reading anything,
answers in the webhook's own response (ordered, no outbound API call), keeps
carrier keywords (STOP, START, HELP) compliant, and gives Rasa a keyed hash of
the phone number as the sender id so numbers never reach logs. Typed text goes
through channels.guard like on the other channels (a typed "/intent" is plain
text; only the numbered choices map to button payloads), and a number over the
rate limit (channels.limits) is told once to slow down; keywords always work.

Registered in credentials.yml as `channels.sms.SmsInput`; routes:
POST /webhooks/sms/webhook (inbound texts) and POST /webhooks/sms/status
(delivery status callbacks).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from channels.guard import clean_message
from channels.limits import RateLimiter, get_limits, throttled_reply
from channels.sms_render import clean, keyword_of, match_choice, render_turn, split_parts
from storage.sms import Choice, SmsStore

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 1600  # Twilio's own limit for one message body
MAX_REQUEST_BYTES = 32 * 1024  # a Twilio form post is a few hundred bytes
TURN_TIMEOUT_S = 12.0  # Twilio gives up on a webhook after 15 s
FAILED_STATUSES = frozenset({"failed", "undelivered"})

_ENV = {
    "account_sid": "SPROUT_TWILIO_ACCOUNT_SID",
    "auth_token": "SPROUT_TWILIO_AUTH_TOKEN",
    "twilio_number": "SPROUT_TWILIO_NUMBER",
    "public_url": "SPROUT_SMS_PUBLIC_URL",
    "hash_key": "SPROUT_SMS_HASH_KEY",
}

TEXTS = {
    "opted_out": (
        "You're unsubscribed from {clinic} texts and won't get more messages from us. "
        "Reply START to subscribe again."
    ),
    "opted_in": (
        "You're subscribed to {clinic} texts again. Reply HELP for help or STOP to opt out. "
        "How can I help?"
    ),
    "help": (
        "{clinic}: text us questions about PT and OT for children, or call {phone}. "
        "Reply STOP to opt out. Msg & data rates may apply."
    ),
    "media": "Sorry, I can only read text, not pictures or files.",
    "empty": "Please type your question as a text message and I'll do my best to help.",
    "too_long": "Your message was long, so I read only the first part of it.",
    "error": "Sorry, something went wrong on our side. Please try again, or call us at {phone}.",
    "slow": "Sorry, that took too long to answer. Please send it again, or call us at {phone}.",
}


@dataclass(frozen=True)
class SmsConfig:
    """Twilio settings: credentials.yml keys first, then environment variables."""

    account_sid: str = ""
    auth_token: str = field(default="", repr=False)
    twilio_number: str = field(default="", repr=False)
    public_url: str = ""
    hash_key: str = field(default="", repr=False)

    @classmethod
    def load(cls, credentials: dict[str, Any] | None) -> SmsConfig:
        values = {}
        for key, env_name in _ENV.items():
            value = (credentials or {}).get(key)
            values[key] = str(value).strip() if value else os.environ.get(env_name, "").strip()
        return cls(**values)

    @property
    def configured(self) -> bool:
        return bool(self.auth_token)


def conversation_key(phone: str, key: str) -> str:
    """The sender id Rasa sees: an HMAC of the number, stable while the key is."""
    digest = hmac.new(key.encode(), phone.strip().encode(), hashlib.sha256).hexdigest()
    return f"sms-{digest[:32]}"


def twilio_form(request: Request) -> RequestParameters:
    """The posted form, blank values included.

    Twilio signs every parameter, empty ones too (an MMS without text has
    `Body=`); Sanic's own form parser drops blanks, which would break the check.
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("application/x-www-form-urlencoded"):
        return RequestParameters()
    body = (request.body or b"").decode("utf-8", errors="replace")
    return RequestParameters(parse_qs(body, keep_blank_values=True, errors="replace"))


def _plain_body(raw: str) -> str:
    """The text as typed, without control characters (newlines become spaces)."""
    text = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in raw
    )
    return " ".join(text.split())


def _twiml(parts: list[str], action: str | None = None) -> HTTPResponse:
    """The reply texts as <Response><Message>..., sent by Twilio in this order."""
    reply = MessagingResponse()
    for part in parts:
        reply.message(part, action=action, method="POST" if action else None)
    return response.text(str(reply), content_type="application/xml; charset=utf-8")


@dataclass(frozen=True)
class _Clinic:
    name: str
    phone: str


def _clinic() -> _Clinic:
    """Clinic name and phone for keyword replies, with safe wording if unset."""
    try:
        from sprout.settings import get_settings

        clinic = get_settings().clinic
        return _Clinic(clinic.name, clinic.phone)
    except Exception:
        logger.warning("clinic settings unavailable; keyword replies use generic wording")
        return _Clinic("the clinic", "the clinic")


def _database_url() -> str:
    from sprout.settings import get_settings

    return get_settings().database_url


class SmsInput(InputChannel):
    """Inbound SMS webhook and delivery status callback for one Twilio number."""

    @classmethod
    def name(cls) -> str:
        return "sms"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(SmsConfig.load(credentials))

    def __init__(
        self,
        config: SmsConfig,
        store_factory: Callable[[], SmsStore] | None = None,
    ) -> None:
        self.config = config
        self._store_factory = store_factory or (lambda: SmsStore.from_url(_database_url()))
        self._store: SmsStore | None = None
        if not config.configured:
            logger.warning("SMS channel not configured (no Twilio auth token); it answers 503")

    @cached_property
    def limiter(self) -> RateLimiter:
        """One bucket per phone number (by its hashed key), in this process."""
        return RateLimiter.from_limits(get_limits())

    # ------------------------------------------------------------ plumbing

    async def _db(self, method: str, *args: Any) -> Any:
        """Run a store call off the event loop (SQLAlchemy here is synchronous)."""
        if self._store is None:
            self._store = await asyncio.to_thread(self._store_factory)
        return await asyncio.to_thread(getattr(self._store, method), *args)

    def _key(self, phone: str) -> str:
        return conversation_key(phone, self.config.hash_key or self.config.auth_token)

    def _signed_url(self, request: Request, path: str | None = None) -> str:
        """The URL Twilio called (and signed): the public base plus the local path."""
        base = self.config.public_url.rstrip("/")
        if not base:
            base = f"{request.scheme}://{request.host}"
        url = base + (path or request.path)
        if path is None and request.query_string:
            url += "?" + request.query_string
        return url

    def _status_url(self, request: Request) -> str:
        return self._signed_url(request, request.path.rsplit("/", 1)[0] + "/status")

    def _check(self, request: Request) -> HTTPResponse | RequestParameters:
        """The signed form, or a 503/413/400/403 for anything that must not go further."""
        if not self.config.configured:
            return response.text("SMS channel not configured", status=503)
        if len(request.body or b"") > MAX_REQUEST_BYTES:
            return response.text("request too large", status=413)
        signature = request.headers.get("X-Twilio-Signature", "")
        try:
            form = twilio_form(request)
        except Exception:
            return response.text("bad request", status=400)
        try:
            valid = bool(signature) and RequestValidator(self.config.auth_token).validate(
                self._signed_url(request), form, signature
            )
        except Exception:
            valid = False
        if not valid:
            logger.warning("SMS request with a missing or invalid Twilio signature refused")
            return response.text("invalid signature", status=403)
        account = form.get("AccountSid")
        if self.config.account_sid and account and account != self.config.account_sid:
            return response.text("wrong account", status=403)
        return form

    # ------------------------------------------------------------ routes

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sms = Blueprint("sprout_sms", __name__)

        @sms.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.config.configured})

        @sms.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            checked = self._check(request)
            if isinstance(checked, HTTPResponse):
                return checked
            try:
                return await self._inbound(request, checked, on_new_message)
            except Exception as error:
                return self._failure("webhook", error)

        @sms.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            checked = self._check(request)
            if isinstance(checked, HTTPResponse):
                return checked
            try:
                return await self._status(checked)
            except Exception as error:
                return self._failure("status callback", error)

        return sms

    def _failure(self, where: str, error: Exception) -> HTTPResponse:
        """Log without personal data (an id to find it), answer without a trace."""
        event_id = uuid.uuid4().hex[:8]
        logger.error("SMS %s failed [%s]: %s", where, event_id, type(error).__name__)
        logger.debug("SMS %s failure [%s] details", where, event_id, exc_info=error)
        return response.text("temporarily unavailable", status=503)

    async def _status(self, form: RequestParameters) -> HTTPResponse:
        sid = form.get("MessageSid") or form.get("SmsSid")
        status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
        if not sid or not status:
            return response.text("MessageSid and MessageStatus are required", status=400)
        if status in FAILED_STATUSES:
            to = form.get("To")
            error_code = form.get("ErrorCode") or None
            await self._db(
                "record_delivery_failure", sid, status, error_code, self._key(to) if to else None
            )
            logger.warning("SMS %s %s (error %s)", sid, status, error_code or "-")
        return response.empty(status=204)

    async def _inbound(
        self,
        request: Request,
        form: RequestParameters,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> HTTPResponse:
        sid = form.get("MessageSid") or form.get("SmsSid")
        phone = (form.get("From") or "").strip()
        if not sid or not phone:
            return response.text("MessageSid and From are required", status=400)
        key = self._key(phone)
        if not await self._db("claim_message", sid, key):
            logger.info("SMS %s for %s already processed", sid, key)
            return _twiml([])

        raw = form.get("Body") or ""
        twilio_replied = bool(form.get("OptOutType"))  # Twilio's Advanced Opt-Out answered
        keyword = keyword_of(raw)
        if keyword == "opt_out":
            already = await self._db("is_opted_out", key)
            await self._db("set_opted_out", key, True)
            logger.info("SMS %s opted out", key)
            if already or twilio_replied:
                return _twiml([])
            return self._keyword_reply(request, "opted_out")
        if await self._db("is_opted_out", key):
            if keyword != "opt_in":
                return _twiml([])
            await self._db("set_opted_out", key, False)
            logger.info("SMS %s opted in", key)
            return _twiml([]) if twilio_replied else self._keyword_reply(request, "opted_in")
        if keyword == "help":
            return _twiml([]) if twilio_replied else self._keyword_reply(request, "help")
        verdict = self.limiter.check(key, raw)
        if not verdict.allowed:
            logger.info("SMS %s from %s over the rate limit", sid, key)
            if not verdict.first_refusal:  # one notice per burst: each text costs the clinic
                return _twiml([])
            return _twiml(split_parts([clean(throttled_reply())]), self._status_url(request))

        return await self._turn(request, form, on_new_message, sid, phone, key, raw)

    def _keyword_reply(self, request: Request, name: str) -> HTTPResponse:
        clinic = _clinic()
        text = TEXTS[name].format(clinic=clinic.name, phone=clinic.phone)
        return _twiml(split_parts([clean(text)]), self._status_url(request))

    async def _turn(
        self,
        request: Request,
        form: RequestParameters,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sid: str,
        phone: str,
        key: str,
        raw: str,
    ) -> HTTPResponse:
        """One message through Rasa, answered in TwiML."""
        lead: list[str] = []
        try:
            has_media = int(form.get("NumMedia") or 0) > 0
        except ValueError:
            has_media = False
        if has_media:
            lead.append(TEXTS["media"])
        body = _plain_body(raw)
        if len(body) > MAX_BODY_CHARS:
            body = body[:MAX_BODY_CHARS]
            lead.append(TEXTS["too_long"])
        options = [(c.title, c.payload) for c in await self._db("choices", key)] if body else []
        # A numbered reply becomes its button's payload; typed text never can.
        text = match_choice(body, options) or clean_message(body).text
        if not text:
            text = " ".join([*lead, TEXTS["empty"]])
            return _twiml(split_parts([text]), self._status_url(request))
        collector = CollectingOutputChannel()
        message = UserMessage(
            text,
            collector,
            key,
            input_channel=self.name(),
            message_id=sid,
            metadata={"channel": "sms", "phone": phone},
        )
        turn = asyncio.ensure_future(on_new_message(message))
        try:
            await asyncio.wait_for(asyncio.shield(turn), TURN_TIMEOUT_S)
        except asyncio.TimeoutError:
            # The turn finishes in the background; its late reply is dropped.
            logger.warning("SMS %s turn for %s exceeded %.0f s", sid, key, TURN_TIMEOUT_S)
            return self._keyword_reply(request, "slow")
        except Exception as error:
            event_id = uuid.uuid4().hex[:8]
            logger.error("SMS turn failed [%s]: %s", event_id, type(error).__name__)
            logger.debug("SMS turn failure [%s] details", event_id, exc_info=error)
            return self._keyword_reply(request, "error")

        rendered = render_turn(collector.messages, lead)
        await self._db("save_choices", key, [Choice(t, p) for t, p in rendered.options])
        logger.info("SMS %s for %s answered in %d part(s)", sid, key, len(rendered.parts))
        return _twiml(rendered.parts, self._status_url(request))
