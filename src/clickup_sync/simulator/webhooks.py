"""ClickUp webhooks: registration (the /webhook endpoints) and signed, retried delivery.

Mutations emit `Event`s; `WebhookDispatcher` turns each into one POST per matching webhook
and sends them from a background thread, so a change never waits on a receiver. Delivery
follows REFERENCE.md §6: compact JSON body, ``X-Signature`` = hex HMAC-SHA256 of the exact
body bytes keyed by the webhook's secret, a 7 s timeout, up to 5 attempts per event, then
``fail_count += 1`` and status "failing"; 100 failures or a 401/410 answer suspend it, and a
success makes it "active" again with ``fail_count`` 0. ClickUp delivers at least once, so
duplicates can be injected. Decisions of ours: ``retries`` counts attempts (5 in all, then
the event is dropped); health changes do not bump ``state.version`` (no cached query shows
them); a task event matches a List filter by the task's home List only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import queue
import random
import threading
import time
from typing import Any

import httpx

from .model import Webhook
from .mutations import MutationError, NotFoundError
from .state import Event, SimState

log = logging.getLogger(__name__)

KNOWN_EVENTS = frozenset({
    "taskCreated", "taskUpdated", "taskDeleted", "taskPriorityUpdated", "taskStatusUpdated",
    "taskAssigneeUpdated", "taskDueDateUpdated", "taskTagUpdated", "taskMoved",
    "taskCommentPosted", "taskCommentUpdated", "taskTimeEstimateUpdated",
    "taskTimeTrackedUpdated", "listCreated", "listUpdated", "listDeleted", "folderCreated",
    "folderUpdated", "folderDeleted", "spaceCreated", "spaceUpdated", "spaceDeleted",
    "goalCreated", "goalUpdated", "goalDeleted", "keyResultCreated", "keyResultUpdated",
    "keyResultDeleted"})
# Location filters from the most specific down; the first one a webhook sets decides.
_LEVELS = ("task_id", "list_id", "folder_id", "space_id")
# The ids a payload carries, by the resource its event name starts with.
_PAYLOAD_IDS = (("keyResult", ("goal_id", "key_result_id")), ("task", ("task_id",)),
                ("list", ("list_id",)), ("folder", ("folder_id",)),
                ("space", ("space_id",)), ("goal", ("goal_id",)))


def sign(secret: str, body: bytes) -> str:
    """The ``X-Signature`` ClickUp sends: hex HMAC-SHA256 of the raw body."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(event: Event, webhook_id: str) -> bytes:
    """The exact bytes POSTed for ``event`` (compact JSON, keys in ClickUp's order)."""
    out: dict[str, Any] = {"event": event.name}
    if event.history_items:
        out["history_items"] = event.history_items
    keys = next((keys for prefix, keys in _PAYLOAD_IDS if event.name.startswith(prefix)), ())
    out.update({k: event.ids[k] for k in keys if k in event.ids})
    if event.data is not None:
        out["data"] = event.data
    out["webhook_id"] = webhook_id
    return json.dumps(out, separators=(",", ":"), ensure_ascii=False).encode()


def _locate(state: SimState, ids: dict[str, str]) -> dict[str, str]:
    """Complete an event's ids with the hierarchy above them, for location filters."""
    loc = dict(ids)
    if "list_id" not in loc and (task := state.ws.tasks.get(loc.get("task_id", ""))):
        loc["list_id"] = task.list_id
    if lst := state.ws.lists.get(loc.get("list_id", "")):
        loc.setdefault("space_id", lst.space_id)
        if lst.folder_id:
            loc.setdefault("folder_id", lst.folder_id)
    if folder := state.ws.folders.get(loc.get("folder_id", "")):
        loc.setdefault("space_id", folder.space_id)
    return loc


def matches(wh: Webhook, name: str, loc: dict[str, str]) -> bool:
    """Whether ``wh`` wants event ``name`` at location ``loc`` (most specific filter wins)."""
    if wh.status == "suspended" or ("*" not in wh.events and name not in wh.events):
        return False
    for level in _LEVELS:
        if (want := getattr(wh, level)) is not None:
            return loc.get(level) == want
    return True


# -- management -----------------------------------------------------------------------------
def webhook_json(wh: Webhook) -> dict[str, Any]:
    """A webhook as ClickUp returns it (spec: ``team_id`` an integer, location ids strings).
    ``client_id`` names the API app; a personal token gets a stable id derived from its user."""
    client = hashlib.sha256(f"client-{wh.userid}".encode()).hexdigest()[:32].upper()
    return {"id": wh.id, "userid": wh.userid,
            "team_id": int(wh.team_id) if wh.team_id.isdigit() else wh.team_id,
            "endpoint": wh.endpoint, "client_id": client, "events": list(wh.events),
            "task_id": wh.task_id, "list_id": wh.list_id, "folder_id": wh.folder_id,
            "space_id": wh.space_id,
            "health": {"status": wh.status, "fail_count": wh.fail_count}, "secret": wh.secret}


def _bad(err: str) -> MutationError:
    return MutationError(400, err, "INPUT_002")


def _parse(state: SimState, body: Any, creating: bool) -> dict[str, Any]:
    """Validate a create/update body into Webhook attributes."""
    if not isinstance(body, dict):
        raise _bad("Body must be a JSON object")
    out: dict[str, Any] = {}
    endpoint = body.get("endpoint")
    if endpoint is not None or creating:
        if not isinstance(endpoint, str) or not endpoint.strip():
            raise _bad("Webhook endpoint required")
        out["endpoint"] = endpoint.strip()
    events = body.get("events")
    if events is not None or creating:
        events = [events] if events == "*" else events
        if (not isinstance(events, list) or not events
                or any(e != "*" and e not in KNOWN_EVENTS for e in events)):
            raise _bad("Webhook events must be a list of known event names or *")
        out["events"] = list(dict.fromkeys(events))
    if creating:
        tables = {"task_id": state.ws.tasks, "list_id": state.ws.lists,
                  "folder_id": state.ws.folders, "space_id": state.ws.spaces}
        for key, table in tables.items():
            value = None if body.get(key) is None else str(body[key])
            if value is not None and value not in table:
                raise NotFoundError(key.removesuffix("_id"))
            out[key] = value
    if "status" in body:
        if body["status"] != "active":
            raise _bad("Webhook status can only be set to active")
        out.update(status="active", fail_count=0)
    return out


def _where(wh: Webhook) -> tuple[str | None, ...]:
    return (wh.endpoint, *(getattr(wh, level) for level in _LEVELS))


def _check_unique(state: SimState, team_id: str, wh: Webhook) -> None:
    """One webhook per endpoint and location in a Workspace (OAUTH_171)."""
    if any(other.id != wh.id and other.team_id == team_id and _where(other) == _where(wh)
           for other in state.ws.webhooks.values()):
        raise MutationError(400, "Webhook configuration already exists", "OAUTH_171")


def create_webhook(state: SimState, team_id: str, user_id: int, body: Any) -> dict[str, Any]:
    """POST /team/{team_id}/webhook → ``{"id", "webhook"}`` with health and secret."""
    with state.lock:
        fields = _parse(state, body, creating=True)
        wh = Webhook(id=state.ids.uuid(), userid=user_id, team_id=team_id, secret="", **fields)
        _check_unique(state, team_id, wh)
        wh.secret = state.ids.secret()
        state.ws.webhooks[wh.id] = wh
        state.changed()
        return {"id": wh.id, "webhook": webhook_json(wh)}


def list_webhooks(state: SimState, team_id: str, user_id: int) -> dict[str, Any]:
    """GET /team/{team_id}/webhook: only the calling user's webhooks, as ClickUp does."""
    with state.lock:
        return {"webhooks": [webhook_json(wh) for wh in state.ws.webhooks.values()
                             if wh.team_id == team_id and wh.userid == user_id]}


def _own(state: SimState, webhook_id: str, user_id: int) -> Webhook:
    wh = state.ws.webhooks.get(webhook_id)
    if wh is None or wh.userid != user_id:
        raise NotFoundError("webhook")
    return wh


def update_webhook(state: SimState, webhook_id: str, user_id: int,
                   body: Any) -> dict[str, Any]:
    """PUT /webhook/{id}: endpoint, events, and ``status: "active"`` to revive a webhook."""
    with state.lock:
        wh = _own(state, webhook_id, user_id)
        fields = _parse(state, body, creating=False)
        _check_unique(state, wh.team_id, dataclasses.replace(wh, **fields))
        for key, value in fields.items():
            setattr(wh, key, value)
        state.changed()
        return {"id": wh.id, "webhook": webhook_json(wh)}


def delete_webhook(state: SimState, webhook_id: str, user_id: int) -> dict[str, Any]:
    """DELETE /webhook/{id} → ``{}``; queued deliveries for it are dropped."""
    with state.lock:
        del state.ws.webhooks[_own(state, webhook_id, user_id).id]
        state.changed()
        return {}


# -- delivery -------------------------------------------------------------------------------
@dataclasses.dataclass(slots=True, frozen=True)
class _Job:
    webhook_id: str
    event: str
    body: bytes


class WebhookDispatcher:
    """Listens to ``state`` and delivers matching events to webhooks on a worker thread.

    ``backoff`` is the first wait between attempts in seconds (doubling after each);
    ``duplicate_rate`` is the chance an event is delivered twice. ``log`` records every
    attempt as ``(webhook_id, event, status code or None on timeout/connection error)``.
    Call `close()` (or use it as a context manager) to stop the thread.
    """

    def __init__(self, state: SimState, deliver_timeout: float = 7.0, retries: int = 5, *,
                 backoff: float = 1.0, duplicate_rate: float = 0.0,
                 rng: random.Random | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.state = state
        self.retries = max(1, retries)
        self.backoff = backoff
        self.duplicate_rate = duplicate_rate
        self.log: list[tuple[str, str, int | None]] = []
        self._rng = rng or random.Random(0)
        self._client = httpx.Client(timeout=deliver_timeout, transport=transport)
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._pending = 0
        self._idle = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="webhook-delivery", daemon=True)
        self._thread.start()
        state.listeners.append(self.enqueue)

    def __enter__(self) -> WebhookDispatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def enqueue(self, events: list[Event]) -> None:
        """Queue one delivery per (event, matching webhook); called by `SimState.emit`."""
        if self._stop.is_set():
            return
        with self.state.lock:
            ws = self.state.ws
            hooks = [wh for wh in ws.webhooks.values()
                     if wh.status != "suspended" and wh.userid in ws.members]
            if not hooks:
                return
            for event in events:
                loc = _locate(self.state, event.ids)
                for wh in hooks:
                    if matches(wh, event.name, loc):
                        job = _Job(wh.id, event.name, payload(event, wh.id))
                        twice = self.duplicate_rate and self._rng.random() < self.duplicate_rate
                        for _ in range(2 if twice else 1):
                            self._put(job)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued delivery is done; False on timeout. Do not hold
        ``state.lock`` while waiting: the worker needs it."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                if (left := deadline - time.monotonic()) <= 0:
                    return False
                self._idle.wait(left)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Stop listening, drop what is still queued, and end the worker thread."""
        self._stop.set()
        if self.enqueue in self.state.listeners:
            self.state.listeners.remove(self.enqueue)
        self._queue.put(None)
        self._thread.join(timeout)

    def _put(self, job: _Job) -> None:
        with self._idle:
            self._pending += 1
        self._queue.put(job)

    def _run(self) -> None:
        try:
            while (job := self._queue.get()) is not None:
                try:
                    if not self._stop.is_set():
                        self._deliver(job)
                except Exception:  # a bug here must not kill delivery for everyone
                    log.exception("webhook delivery failed: %s %s", job.webhook_id, job.event)
                finally:
                    with self._idle:
                        self._pending -= 1
                        self._idle.notify_all()
        finally:
            self._client.close()
            with self._idle:
                self._pending = 0
                self._idle.notify_all()

    def _deliver(self, job: _Job) -> None:
        for attempt in range(self.retries):
            with self.state.lock:
                wh = self.state.ws.webhooks.get(job.webhook_id)
                if wh is None or wh.status == "suspended":
                    return
                url = wh.endpoint if "://" in wh.endpoint else "https://" + wh.endpoint
                headers = {"Content-Type": "application/json",
                           "X-Signature": sign(wh.secret, job.body)}
            try:
                code: int | None = self._client.post(url, content=job.body,
                                                     headers=headers).status_code
            except httpx.HTTPError:
                code = None
            self.log.append((job.webhook_id, job.event, code))
            if code is not None and (200 <= code < 300 or code in (401, 410)):
                self._health(job.webhook_id, "ok" if code < 300 else "gone")
                return
            if attempt + 1 < self.retries and self._stop.wait(self.backoff * 2**attempt):
                return  # closing
        self._health(job.webhook_id, "failed")

    def _health(self, webhook_id: str, outcome: str) -> None:
        with self.state.lock:
            if (wh := self.state.ws.webhooks.get(webhook_id)) is None:
                return
            if outcome == "ok":
                wh.status, wh.fail_count = "active", 0
            elif outcome == "gone":
                wh.status = "suspended"
            else:
                wh.fail_count += 1
                wh.status = "suspended" if wh.fail_count >= 100 else "failing"
