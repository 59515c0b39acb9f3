"""CredentialsManager (memory, file, a Python object as the host store) and
client.refresh_token / client.revoke_token against the dev tenant.

An authResult saved with ``expires_in=0`` is expired at once, so the next
``credentials()`` renews it; the tenant's own lifetime setting is left alone.
"""

import base64
import os
import pathlib
import stat
import threading
from typing import Any, Dict, List, Optional

import pytest

import auth0_native
from auth0_native import AuthResult, CredentialsManager
from conftest import WebFor, make_web
from tenant import TEST_USER_ID, DevTenant

OFFLINE = "openid profile email offline_access"
KEY = base64.urlsafe_b64encode(bytes(range(32))).rstrip(b"=").decode()
OTHER_KEY = base64.urlsafe_b64encode(bytes(range(32, 64))).rstrip(b"=").decode()
CREDENTIAL_KEYS = [
    "access_token",
    "token_type",
    "id_token",
    "refresh_token",
    "expires_at",
    "expires_in",
    "scope",
    "id_token_payload",
]


def login(t: DevTenant, web: auth0_native.WebAuth, scope: str = OFFLINE) -> AuthResult:
    return web.client.login(
        username=t.username, password=t.password, realm=t.connection, scope=scope
    )


def expired(result: AuthResult) -> AuthResult:
    """The same authResult, saying it expires now."""
    copy = dict(result)
    copy["expires_in"] = 0
    return copy  # type: ignore[return-value]


class Slot:
    """A game's save system: the blob in an attribute, with counters."""

    def __init__(self) -> None:
        self.blob: Optional[bytes] = None
        self.loads = self.saves = self.deletes = 0
        self.fail: Optional[str] = None
        self.lock = threading.Lock()

    def load(self) -> Optional[bytes]:
        with self.lock:
            self.loads += 1
            if self.fail == "load":
                raise OSError("the memory card was removed")
            return self.blob

    def save(self, blob: bytes) -> None:
        with self.lock:
            self.saves += 1
            if self.fail == "save":
                raise OSError("the save disk is full")
            assert isinstance(blob, bytes)
            self.blob = blob

    def delete(self) -> None:
        with self.lock:
            self.deletes += 1
            self.blob = None


# ---- memory ------------------------------------------------------------------


def test_saved_credentials_come_back_as_snake_case_while_valid(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    manager = CredentialsManager(web)
    result = login(tenant, web)
    manager.save(result)
    creds = manager.credentials()
    assert list(creds) == CREDENTIAL_KEYS
    assert creds["access_token"] == result["access_token"]
    assert creds["refresh_token"] == result["refresh_token"]
    assert creds["token_type"] == "Bearer"
    assert isinstance(creds["expires_at"], int) and isinstance(creds["expires_in"], int)
    assert creds["expires_in"] > 60
    assert creds["id_token_payload"] is not None
    assert creds["id_token_payload"]["sub"] == TEST_USER_ID


def test_has_valid_user_and_clear_follow_what_is_stored(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    manager = CredentialsManager(web, storage={"type": "memory"})
    assert manager.has_valid_credentials() is False
    assert manager.user() is None
    with pytest.raises(auth0_native.CredentialsError) as e:
        manager.credentials()
    assert e.value.code == "no_credentials" and e.value.retryable is False
    manager.save(login(tenant, web))
    assert manager.has_valid_credentials(min_ttl=60) is True
    user = manager.user()
    assert user is not None
    assert user["sub"] == TEST_USER_ID and user["email"] == tenant.username
    manager.clear()
    assert manager.has_valid_credentials() is False
    with pytest.raises(auth0_native.CredentialsError) as e:
        manager.credentials()
    assert e.value.code == "no_credentials"
    manager.clear()  # clearing nothing succeeds


def test_clear_revokes_the_refresh_token_and_clear_without_revoke_does_not(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    manager = CredentialsManager(web)
    revoked = login(tenant, web)
    manager.save(revoked)
    manager.clear(revoke=True)
    assert revoked["refresh_token"] is not None
    with pytest.raises(auth0_native.ServerError) as e:
        web.client.refresh_token(refresh_token=revoked["refresh_token"])
    assert e.value.status_code == 403 and e.value.code == "invalid_grant"

    kept = login(tenant, web)
    manager.save(kept)
    manager.clear(revoke=False)
    assert kept["refresh_token"] is not None
    assert web.client.refresh_token(refresh_token=kept["refresh_token"])["access_token"]


# ---- renewal -------------------------------------------------------------------


def test_an_expired_token_is_renewed_and_the_rotated_refresh_token_kept(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    manager = CredentialsManager(web)
    old = login(tenant, web)
    manager.save(expired(old))
    assert manager.has_valid_credentials() is True  # renewable
    renewed = manager.credentials()
    assert renewed["access_token"] != old["access_token"]
    assert renewed["refresh_token"] not in (None, old["refresh_token"])
    assert renewed["expires_in"] > 60
    # Valid now: served from the store.
    assert manager.credentials(min_ttl=60)["access_token"] == renewed["access_token"]
    # A min_ttl longer than any lifetime renews again (float seconds accepted).
    again = manager.credentials(min_ttl=315360000.5)
    assert again["access_token"] != renewed["access_token"]


def test_expired_without_a_refresh_token_is_no_refresh_token(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    manager = CredentialsManager(web)
    manager.save(expired(login(tenant, web, scope="openid email")))
    with pytest.raises(auth0_native.CredentialsError) as e:
        manager.credentials()
    assert e.value.code == "no_refresh_token"


def test_a_revoked_refresh_token_is_renew_failed_carrying_the_servers_answer(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    manager = CredentialsManager(web)
    result = login(tenant, web)
    assert result["refresh_token"] is not None
    manager.save(expired(result))
    web.client.revoke_token(refresh_token=result["refresh_token"])
    with pytest.raises(auth0_native.CredentialsError) as e:
        manager.credentials()
    assert e.value.code == "renew_failed"
    assert e.value.status_code == 403
    assert e.value.cause == "invalid_grant"
    assert e.value.retryable is False
    assert result["refresh_token"] not in str(e.value)


def test_eight_threads_on_an_expired_token_share_one_renewal_and_reuse_nothing(
    fresh_tenant: DevTenant,
) -> None:
    web = make_web(fresh_tenant)
    manager = CredentialsManager(web)
    old = login(fresh_tenant, web)
    manager.save(expired(old))
    before = fresh_tenant.dev("GET", "stats")
    start = threading.Barrier(8)
    tokens: List[str] = []
    errors: List[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            tokens.append(manager.credentials()["access_token"])
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(tokens) == 8 and len(set(tokens)) == 1
    assert tokens[0] != old["access_token"]
    after = fresh_tenant.dev("GET", "stats")
    # This tenant is the test's own: exactly one renewal, no reuse.
    assert after["refresh_rotations"] - before["refresh_rotations"] == 1
    assert after["refresh_reuse_detections"] == before["refresh_reuse_detections"] == 0
    assert after["refresh_reuse_within_interval"] == before["refresh_reuse_within_interval"]


# ---- the encrypted file -----------------------------------------------------------


def test_a_file_store_survives_a_restart_encrypted_and_private(
    tenant: DevTenant, web_of: WebFor, tmp_path: pathlib.Path
) -> None:
    path = tmp_path / "creds.bin"
    storage: Dict[str, Any] = {"type": "file", "path": path, "key": KEY}
    web = web_of()
    result = login(tenant, web)
    CredentialsManager(web, storage=storage).save(result)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    raw = path.read_bytes()
    for token in (result["access_token"], result["refresh_token"], result["id_token"]):
        assert token is not None and token.encode() not in raw
    # "Restarted": a new handle and a new manager find the same credentials.
    again = CredentialsManager(web_of(), storage={"type": "file", "path": str(path), "key": KEY})
    assert again.credentials()["access_token"] == result["access_token"]

    wrong = CredentialsManager(web_of(), storage={"type": "file", "path": path, "key": OTHER_KEY})
    with pytest.raises(auth0_native.StorageError) as e:
        wrong.credentials()
    assert e.value.code == "storage_tampered"


# ---- a Python object as the host store --------------------------------------------


def test_a_python_object_keeps_the_blob(tenant: DevTenant, web_of: WebFor) -> None:
    web = web_of()
    slot = Slot()
    manager = CredentialsManager(web, storage=slot)
    assert slot.loads == slot.saves == 0
    old = login(tenant, web)
    manager.save(expired(old))
    assert slot.saves == 1 and slot.blob
    renewed = manager.credentials()
    assert slot.saves == 2  # the rotated token, written back
    restarted = CredentialsManager(web_of(), storage=slot)
    assert restarted.credentials()["access_token"] == renewed["access_token"]
    user = restarted.user()
    assert user is not None and user["sub"] == TEST_USER_ID
    restarted.clear()
    assert slot.deletes == 1 and slot.blob is None


def test_an_exception_in_the_host_object_is_a_storage_error_with_its_message(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    slot = Slot()
    manager = CredentialsManager(web, storage=slot)
    result = login(tenant, web)
    slot.fail = "save"
    with pytest.raises(auth0_native.StorageError) as e:
        manager.save(result)
    assert e.value.code == "storage_error"
    assert "the save disk is full" in str(e.value)
    assert result["access_token"] is not None and result["access_token"] not in str(e.value)
    slot.fail = "load"
    with pytest.raises(auth0_native.StorageError) as e:
        manager.credentials()
    assert "the memory card was removed" in str(e.value)


def test_a_host_object_whose_load_returns_no_bytes_is_a_storage_error(
    web_of: WebFor,
) -> None:
    class Wrong(Slot):
        def load(self) -> Optional[bytes]:
            return "text"  # type: ignore[return-value]

    manager = CredentialsManager(web_of(), storage=Wrong())
    with pytest.raises(auth0_native.StorageError) as e:
        manager.has_valid_credentials()
    assert "bytes" in str(e.value)


def test_eight_threads_through_a_python_host_object_reuse_nothing(
    fresh_tenant: DevTenant,
) -> None:
    web = make_web(fresh_tenant)
    slot = Slot()
    manager = CredentialsManager(web, storage=slot)
    manager.save(expired(login(fresh_tenant, web)))
    start = threading.Barrier(8)
    tokens: List[str] = []
    errors: List[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            tokens.append(manager.credentials()["access_token"])
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(set(tokens)) == 1
    stats = fresh_tenant.dev("GET", "stats")
    assert stats["refresh_rotations"] == 1
    assert stats["refresh_reuse_detections"] == 0


# ---- bad arguments ----------------------------------------------------------------


def test_bad_arguments_name_the_parameter(web_of: WebFor) -> None:
    web = web_of()
    with pytest.raises(TypeError, match="flavour"):
        CredentialsManager(web, flavour="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="load"):
        CredentialsManager(web, storage=object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        CredentialsManager("not a handle")  # type: ignore[arg-type]
    with pytest.raises(auth0_native.InvalidArgumentError, match="floppy"):
        CredentialsManager(web, storage={"type": "floppy"})
    with pytest.raises(auth0_native.InvalidArgumentError, match="path"):
        CredentialsManager(web, storage={"type": "file"})
    manager = CredentialsManager(web)
    with pytest.raises(TypeError, match="max_age"):
        manager.credentials(max_age=3)  # type: ignore[call-arg]
    with pytest.raises(auth0_native.InvalidArgumentError, match="min_ttl"):
        manager.credentials(min_ttl=-1)
    with pytest.raises(auth0_native.InvalidArgumentError, match="min_ttl"):
        manager.has_valid_credentials(min_ttl=float("nan"))
    with pytest.raises(TypeError, match="revoke_all"):
        manager.clear(revoke_all=True)  # type: ignore[call-arg]
    with pytest.raises(auth0_native.InvalidArgumentError, match="access_?[tT]oken"):
        manager.save({"id_token": None})
    with pytest.raises(TypeError, match="dict"):
        manager.save("token")  # type: ignore[arg-type]


def test_refresh_token_rotates_and_revoke_token_ends_the_family(
    tenant: DevTenant, web_of: WebFor
) -> None:
    web = web_of()
    result = login(tenant, web)
    assert result["refresh_token"] is not None
    renewed = web.client.refresh_token(refresh_token=result["refresh_token"], scope=OFFLINE)
    assert renewed["access_token"] and renewed["access_token"] != result["access_token"]
    new_refresh = renewed["refresh_token"]
    assert new_refresh is not None and new_refresh != result["refresh_token"]
    assert renewed["id_token_payload"] is not None
    assert renewed["id_token_payload"]["sub"] == TEST_USER_ID
    assert web.client.revoke_token(refresh_token=new_refresh) is None  # type: ignore[func-returns-value]
    with pytest.raises(auth0_native.ServerError) as e:
        web.client.refresh_token(refresh_token=new_refresh)
    assert e.value.status_code == 403 and e.value.code == "invalid_grant"
    assert new_refresh not in str(e.value)


def test_refresh_and_revoke_token_need_a_refresh_token_keyword(web_of: WebFor) -> None:
    client = web_of().client
    with pytest.raises(TypeError, match="refresh_token"):
        client.refresh_token()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="positional"):
        client.revoke_token("rt")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="token"):
        client.refresh_token(refresh_token="x", token="y")  # type: ignore[call-arg]
