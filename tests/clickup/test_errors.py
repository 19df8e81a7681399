"""The error tree: what each failure becomes, that it keeps where and why, and that the token
never shows in a message, a repr or a log line."""

from __future__ import annotations

import logging

import httpx
import pytest

from clickup_sync.clickup import (
    AuthError,
    ClickUpAPIError,
    ClickUpClient,
    NotFoundOrForbidden,
    PermanentError,
    RateLimited,
    RetryPolicy,
    TransientError,
)
from clickup_sync.clickup.errors import error_class
from clickup_sync.simulator import Simulator

from .conftest import MakeClient

SECRET = "pk_81000001_SECRETSECRETSECRET"


@pytest.fixture()
def secret_client(read_sim: Simulator, make_client: MakeClient) -> ClickUpClient:
    read_sim.add_token(SECRET, read_sim.workspace.owner_id)
    return make_client(read_sim, token=SECRET)


async def test_unknown_ids_are_not_found_or_forbidden(secret_client: ClickUpClient) -> None:
    with pytest.raises(NotFoundOrForbidden) as caught:
        await secret_client.get_task("zzzzzzz")
    err = caught.value
    assert (err.method, err.path, err.status, err.ecode) == ("GET", "/task/zzzzzzz", 401,
                                                             "OAUTH_027")
    assert err.err == "Team not authorized"
    assert str(err) == "GET /task/zzzzzzz → 401 OAUTH_027: Team not authorized"
    with pytest.raises(NotFoundOrForbidden) as caught:
        await secret_client.get_space("1")
    assert (caught.value.status, caught.value.ecode) == (404, "PROJ_006")
    assert not isinstance(caught.value, AuthError)
    assert secret_client.calls == 2  # permanent errors are not retried


async def test_bad_token_is_auth_error(read_sim: Simulator, make_client: MakeClient) -> None:
    client = make_client(read_sim, token="pk_revoked_0123456789")
    with pytest.raises(AuthError) as caught:
        await client.get_user()
    assert caught.value.ecode == "OAUTH_025" and caught.value.status == 401
    assert isinstance(caught.value, PermanentError)
    assert client.calls == 1


async def test_bad_request_is_permanent(write_sim: Simulator, make_client: MakeClient) -> None:
    client = make_client(write_sim)
    list_id = next(iter(write_sim.workspace.lists))
    with pytest.raises(PermanentError) as caught:
        await client.create_task(list_id, {"name": ""})
    assert caught.value.status == 400 and type(caught.value) is PermanentError


async def test_the_token_never_leaks(secret_client: ClickUpClient, make_client: MakeClient,
                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[Exception] = []
    await secret_client.get_user()
    for call in (secret_client.get_task("nope"), secret_client.get_list("1")):
        with pytest.raises(ClickUpAPIError) as caught:
            await call
        errors.append(caught.value)
    # A server that echoes the token back, and a transport that fails naming it.
    echo = httpx.MockTransport(lambda r: httpx.Response(
        400, json={"err": f"bad token {r.headers['Authorization']}", "ECODE": "X_1"}))
    with pytest.raises(PermanentError) as caught:
        await make_client(transport=echo, token=SECRET).get_user()
    errors.append(caught.value)

    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"refused for {request.headers['Authorization']}")

    with pytest.raises(TransientError) as caught:
        await make_client(transport=httpx.MockTransport(fail), token=SECRET).get_user()
    errors.append(caught.value)
    assert "[token]" in str(errors[-1]) and "[token]" in str(errors[-2])
    shown = [str(e) for e in errors] + [repr(e) for e in errors] + [repr(secret_client)]
    assert not [s for s in shown if SECRET in s]
    assert SECRET not in caplog.text
    assert "GET /user 200" in caplog.text and "GET /task/nope 401" in caplog.text


async def test_transport_failures_are_translated_once(make_client: MakeClient) -> None:
    attempts: list[int] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        raise httpx.ConnectError("connection refused")

    client = make_client(transport=httpx.MockTransport(refuse),
                         retry=RetryPolicy(sleep=_no_sleep))
    with pytest.raises(TransientError) as caught:
        await client.create_task("1", {"name": "x"})
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert caught.value.request_sent is False  # safe to retry even a POST
    assert len(attempts) == client.retry.max_attempts


async def test_a_post_that_may_have_landed_is_not_repeated(make_client: MakeClient) -> None:
    seen: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(502, text="<html>Bad gateway</html>")

    client = make_client(transport=httpx.MockTransport(flaky))
    with pytest.raises(TransientError) as caught:
        await client.create_task("1", {"name": "x"})
    assert caught.value.status == 502 and seen == ["POST"]
    with pytest.raises(TransientError):
        await client.update_task("t", {"name": "x"})  # a PUT is idempotent: retried
    assert seen.count("PUT") == client.retry.max_attempts


@pytest.mark.parametrize(("failure", "expected", "sent"), [
    (httpx.ReadTimeout("slow"), TransientError, True),
    (httpx.ConnectTimeout("slow"), TransientError, False),
    (httpx.RemoteProtocolError("peer closed connection"), TransientError, True),
    (httpx.ReadError("reset"), TransientError, True),
    (ConnectionResetError("reset by peer"), TransientError, True),
    (httpx.UnsupportedProtocol("ftp"), PermanentError, None),
])
async def test_transport_failure_classes(make_client: MakeClient, failure: Exception,
                                         expected: type[ClickUpAPIError],
                                         sent: bool | None) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise failure

    client = make_client(transport=httpx.MockTransport(fail),
                         retry=RetryPolicy(max_attempts=1))
    with pytest.raises(expected) as caught:
        await client.get_task("abc")
    assert type(caught.value) is expected and caught.value.__cause__ is failure
    assert caught.value.path == "/task/abc" and caught.value.status is None
    if sent is not None:
        assert isinstance(caught.value, TransientError) and caught.value.request_sent is sent


async def test_cut_json_is_transient(make_client: MakeClient) -> None:
    cut = httpx.MockTransport(lambda r: httpx.Response(200, content=b'{"tasks": [{"id'))
    client = make_client(transport=cut, retry=RetryPolicy(max_attempts=2, sleep=_no_sleep))
    with pytest.raises(TransientError, match="not valid JSON"):
        await client.get_task("abc")
    assert client.calls == 2


@pytest.mark.parametrize(("status", "ecode", "expected"), [
    (401, "OAUTH_027", NotFoundOrForbidden), (401, "OAUTH_023", NotFoundOrForbidden),
    (401, "OAUTH_017", AuthError), (401, "OAUTH_019", AuthError), (401, "OAUTH_021", AuthError),
    (401, "OAUTH_025", AuthError), (401, "OAUTH_077", AuthError), (404, "ITEM_013",
                                                                   NotFoundOrForbidden),
    (403, "PAYWALL_004", PermanentError), (400, "ITEM_114", PermanentError),
    (401, None, PermanentError), (429, "APP_002", RateLimited), (500, None, TransientError),
    (503, "SIM_500", TransientError), (200, None, None),
])
def test_error_classes(status: int, ecode: str | None, expected: type | None) -> None:
    assert error_class(status, ecode) is expected


async def _no_sleep(seconds: float) -> None:
    return None
