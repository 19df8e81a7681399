"""Webhooks end to end: registration rules, and signed deliveries to a real HTTP receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from clickup_sync.simulator import activity, mutations, webhooks
from clickup_sync.simulator.mutations import MutationError
from clickup_sync.simulator.state import SimState
from clickup_sync.simulator.webhooks import WebhookDispatcher

from .test_mutations import DEV, OWNER, QA, make_state


@dataclass
class Receiver:
    """A tiny HTTP server recording every POST; ``codes`` sets the answer per path."""

    url: str
    codes: dict[str, int] = field(default_factory=dict)
    hits: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)

    def bodies(self, path: str = "/ok") -> list[dict[str, Any]]:
        return [json.loads(body) for p, _, body in self.hits if p == path]


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    rec = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            rec.hits.append((self.path, dict(self.headers), body))
            self.send_response(rec.codes.get(self.path, 200))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    rec.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield rec
    server.shutdown()
    server.server_close()


@pytest.fixture()
def state() -> SimState:
    return make_state()


@pytest.fixture()
def dispatcher(state: SimState) -> Iterator[WebhookDispatcher]:
    with WebhookDispatcher(state, deliver_timeout=2.0, backoff=0.0) as d:
        yield d


def _hook(state: SimState, endpoint: str, events: Any = "*", **where: str) -> dict[str, Any]:
    return webhooks.create_webhook(state, state.ws.id, OWNER,
                                   {"endpoint": endpoint, "events": events, **where})["webhook"]


def _lists(state: SimState) -> dict[str, str]:
    return {lst.name: lst.id for lst in state.ws.lists.values()}


# -- signing and management ---------------------------------------------------------------
def test_signature_matches_the_test_vector() -> None:
    body = (b'{"webhook_id":"7689a169-a000-4985-8676-6902b96d6627","event":"taskCreated",'
            b'"task_id":"c0j"}')
    assert webhooks.sign("secret", body) == (
        "4830bf524f6e29a3e8da953936c6f21c1fea2b9669b825d3e1be293ef3416c8c")


def test_create_list_update_delete_webhook(state: SimState) -> None:
    made = webhooks.create_webhook(state, state.ws.id, OWNER, {
        "endpoint": "https://example.com/hook", "events": ["taskCreated", "taskUpdated"],
        "list_id": int(_lists(state)["Bugs"])})
    wh = made["webhook"]
    assert made["id"] == wh["id"] and wh["userid"] == OWNER
    assert wh["health"] == {"status": "active", "fail_count": 0}
    assert len(wh["secret"]) == 64 and wh["secret"].isalnum() and wh["secret"].isupper()
    assert wh["list_id"] == _lists(state)["Bugs"] and wh["task_id"] is None
    assert wh["team_id"] == int(state.ws.id) and len(wh["client_id"]) == 32
    assert webhooks.list_webhooks(state, state.ws.id, OWNER)["webhooks"] == [wh]
    assert webhooks.list_webhooks(state, state.ws.id, DEV)["webhooks"] == []
    state.ws.webhooks[wh["id"]].status, state.ws.webhooks[wh["id"]].fail_count = "suspended", 7
    revived = webhooks.update_webhook(state, wh["id"], OWNER,
                                      {"events": "*", "status": "active"})["webhook"]
    assert revived["health"] == {"status": "active", "fail_count": 0}
    assert revived["events"] == ["*"]
    with pytest.raises(MutationError):
        webhooks.update_webhook(state, wh["id"], DEV, {"events": "*"})  # not the owner's
    assert webhooks.delete_webhook(state, wh["id"], OWNER) == {}
    assert state.ws.webhooks == {}


@pytest.mark.parametrize(("body", "ecode"), [
    ({"events": ["taskCreated"]}, "INPUT_002"),
    ({"endpoint": "https://example.com/x"}, "INPUT_002"),
    ({"endpoint": "https://example.com/x", "events": ["taskExploded"]}, "INPUT_002"),
    ({"endpoint": "https://example.com/x", "events": []}, "INPUT_002"),
    ({"endpoint": "https://example.com/dup", "events": "*"}, "OAUTH_171"),
])
def test_create_webhook_validation(state: SimState, body: dict, ecode: str) -> None:
    _hook(state, "https://example.com/dup")
    with pytest.raises(MutationError) as err:
        webhooks.create_webhook(state, state.ws.id, OWNER, body)
    assert (err.value.status, err.value.ecode) == (400, ecode)
    # The same endpoint at another location is a different configuration.
    _hook(state, "https://example.com/dup", space_id=next(iter(state.ws.spaces)))


# -- delivery -------------------------------------------------------------------------------
def test_signed_companion_deliveries(state: SimState, receiver: Receiver,
                                     dispatcher: WebhookDispatcher) -> None:
    wh = _hook(state, receiver.url + "/ok")
    t = mutations.create_task(state, _lists(state)["Bugs"], DEV, {"name": "Hooked"})
    mutations.update_task(state, t.id, DEV, {"status": "in progress"})
    activity.add_time_entry(state, DEV, t.id, 1, 1001)
    mutations.delete_task(state, t.id, DEV)
    assert dispatcher.flush(5)
    for _, headers, body in receiver.hits:
        expected = hmac.new(wh["secret"].encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Signature"] == expected
        assert headers["Content-Type"] == "application/json"
    got = receiver.bodies()
    assert [b["event"] for b in got] == [
        "taskCreated", "taskStatusUpdated", "taskStatusUpdated", "taskUpdated",
        "taskTimeTrackedUpdated", "taskUpdated", "taskDeleted"]
    assert all(b["webhook_id"] == wh["id"] and b["task_id"] == t.id for b in got)
    assert set(got[0]) == {"event", "history_items", "task_id", "webhook_id"}
    assert got[2]["history_items"] == got[3]["history_items"]
    assert got[4]["data"]["description"] == "Time Tracking Created" and "data" in got[5]
    assert set(got[-1]) == {"event", "task_id", "webhook_id"}  # taskDeleted: ids only
    assert dispatcher.log[0] == (wh["id"], "taskCreated", 200)


def test_location_filters_pick_the_most_specific(state: SimState, receiver: Receiver,
                                                 dispatcher: WebhookDispatcher) -> None:
    lists = _lists(state)
    bugs, runbooks = lists["Bugs"], lists["Runbooks"]
    eng = state.ws.lists[bugs].space_id
    t = mutations.create_task(state, lists["Sprint 1"], DEV, {"name": "Pinned"})
    _hook(state, receiver.url + "/list", list_id=bugs)
    _hook(state, receiver.url + "/space", space_id=eng)
    _hook(state, receiver.url + "/narrow", space_id=eng, list_id=runbooks)  # list wins
    _hook(state, receiver.url + "/task", events=["taskUpdated"], task_id=t.id)
    _hook(state, receiver.url + "/folder", folder_id=next(iter(state.ws.folders)))
    in_bugs = mutations.create_task(state, bugs, DEV, {"name": "In bugs"})
    mutations.create_task(state, runbooks, DEV, {"name": "In runbooks"})
    mutations.update_task(state, t.id, DEV, {"priority": 2})
    assert dispatcher.flush(5)
    ids = {path: {b.get("task_id") for b in receiver.bodies(path)}
           for path in ("/list", "/space", "/narrow", "/task", "/folder")}
    assert ids["/list"] == {in_bugs.id}
    assert ids["/space"] == {in_bugs.id, t.id}
    assert len(ids["/narrow"]) == 1 and in_bugs.id not in ids["/narrow"]
    assert ids["/task"] == {t.id} and [b["event"] for b in receiver.bodies("/task")] == [
        "taskUpdated"]
    assert ids["/folder"] == {t.id}


def test_failing_receiver_is_retried_then_counted(state: SimState, receiver: Receiver,
                                                  dispatcher: WebhookDispatcher) -> None:
    receiver.codes["/fail"] = 500
    wh = _hook(state, receiver.url + "/fail", events=["taskCreated"])
    mutations.create_task(state, _lists(state)["Bugs"], DEV, {"name": "Nope"})
    assert dispatcher.flush(5)
    assert dispatcher.log == [(wh["id"], "taskCreated", 500)] * 5
    record = state.ws.webhooks[wh["id"]]
    assert (record.status, record.fail_count) == ("failing", 1)
    receiver.codes["/fail"] = 204
    mutations.create_task(state, _lists(state)["Bugs"], DEV, {"name": "Yes"})
    assert dispatcher.flush(5)
    assert (record.status, record.fail_count) == ("active", 0)
    record.fail_count = 99
    receiver.codes["/fail"] = 503
    mutations.create_task(state, _lists(state)["Bugs"], DEV, {"name": "Last straw"})
    assert dispatcher.flush(5)
    assert (record.status, record.fail_count) == ("suspended", 100)


@pytest.mark.parametrize("code", [410, 401])
def test_gone_or_unauthorized_suspends_at_once(state: SimState, receiver: Receiver,
                                               dispatcher: WebhookDispatcher, code: int) -> None:
    receiver.codes["/gone"] = code
    wh = _hook(state, receiver.url + "/gone")
    t = mutations.create_task(state, _lists(state)["Bugs"], DEV, {"name": "Gone"})
    assert dispatcher.flush(5)
    assert state.ws.webhooks[wh["id"]].status == "suspended"
    assert len(receiver.hits) == 1  # no retry; the companion event is not sent either
    mutations.update_task(state, t.id, DEV, {"name": "Still gone"})
    assert dispatcher.flush(5) and len(receiver.hits) == 1


def test_unreachable_endpoint_counts_as_failure(state: SimState, receiver: Receiver) -> None:
    with WebhookDispatcher(state, deliver_timeout=0.5, retries=2, backoff=0.0) as d:
        wh = _hook(state, "http://127.0.0.1:9/nothing-listens", events=["taskCreated"])
        mutations.create_task(state, _lists(state)["Bugs"], QA, {"name": "Void"})
        assert d.flush(5)
    assert d.log == [(wh["id"], "taskCreated", None)] * 2
    assert state.ws.webhooks[wh["id"]].fail_count == 1


def test_duplicates_can_be_injected(state: SimState, receiver: Receiver) -> None:
    with WebhookDispatcher(state, backoff=0.0, duplicate_rate=1.0) as d:
        _hook(state, receiver.url + "/ok", events=["taskCreated"])
        mutations.create_task(state, _lists(state)["Bugs"], DEV, {"name": "Twice"})
        assert d.flush(5)
    first, second = (body for _, _, body in receiver.hits)
    assert first == second  # same history item ids: receivers dedupe on them


def test_close_stops_listening(state: SimState, receiver: Receiver) -> None:
    d = WebhookDispatcher(state, backoff=0.0)
    _hook(state, receiver.url + "/ok")
    d.close()
    assert d.enqueue not in state.listeners and not d._thread.is_alive()
    mutations.create_task(state, _lists(state)["Bugs"], DEV, {"name": "Unheard"})
    assert d.flush(1) and receiver.hits == []
