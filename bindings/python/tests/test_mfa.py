"""MFA: MfaRequiredError and its mfa_token, then web.client.mfa (challenge,
verify with an OTP, a push, an sms code or a recovery code, authenticators,
associate) against the dev tenant."""

import base64
import hashlib
import hmac
import json
import os
import pathlib
import pickle
import re
import struct
import subprocess
import sys
import threading
import time
from typing import Any, Iterator

import pytest

import auth0_native
from conftest import make_web
from tenant import REPO_ROOT, TEST_USER_ID, DevTenant

SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def mfa_tenant(devtenant_bin: pathlib.Path, tmp_path: pathlib.Path) -> Iterator[DevTenant]:
    """A tenant of this test's own (enrolments change the user), polled oob every second."""
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"mfa_oob_interval_secs": 1}), encoding="utf-8")
    t = DevTenant(devtenant_bin, config)
    yield t
    t.stop()


def enroll(t: DevTenant, **what: Any) -> Any:
    return t.dev("POST", "mfa/enroll", {"user": t.username, **what})


def mfa_required(t: DevTenant, web: auth0_native.WebAuth) -> auth0_native.MfaRequiredError:
    with pytest.raises(auth0_native.MfaRequiredError) as caught:
        web.client.login(username=t.username, password=t.password, realm=t.connection)
    return caught.value


def totp(t: DevTenant, secret: str = SECRET) -> str:
    code: str = t.dev("GET", f"mfa/totp?secret={secret}")["code"]
    return code


def test_an_enrolled_user_raises_mfa_required_with_a_token_kept_out_of_str_and_repr(
    mfa_tenant: DevTenant,
) -> None:
    enroll(mfa_tenant, type="otp", secret=SECRET)
    e = mfa_required(mfa_tenant, make_web(mfa_tenant))
    assert isinstance(e, auth0_native.AuthorizationError)
    assert (e.code, e.status_code) == ("mfa_required", 403)
    assert e.mfa_token
    for text in (str(e), repr(e), repr(e.args), json.dumps(e.original)):
        assert e.mfa_token not in text
    assert pickle.loads(pickle.dumps(e)).mfa_token == e.mfa_token


def test_an_otp_completes_the_login(mfa_tenant: DevTenant) -> None:
    enroll(mfa_tenant, type="otp", secret=SECRET)
    web = make_web(mfa_tenant)
    token = mfa_required(mfa_tenant, web).mfa_token
    assert token is not None
    assert web.client.mfa.challenge(token, challenge_type="otp") == {"challenge_type": "otp"}
    result = web.client.mfa.verify(mfa_token=token, otp=totp(mfa_tenant))
    assert (result["id_token_payload"] or {})["sub"] == TEST_USER_ID
    assert result["access_token"]
    assert result["recovery_code"] is None


def test_a_recovery_code_hands_back_the_next_one(mfa_tenant: DevTenant) -> None:
    code = enroll(mfa_tenant, type="otp", secret=SECRET)["recovery_code"]
    web = make_web(mfa_tenant)
    token = mfa_required(mfa_tenant, web).mfa_token
    assert token is not None
    result = web.client.mfa.verify(token, recovery_code=code)
    assert result["recovery_code"] and result["recovery_code"] != code


def test_a_push_is_polled_until_approved(mfa_tenant: DevTenant) -> None:
    enroll(mfa_tenant, type="oob")
    web = make_web(mfa_tenant)
    token = mfa_required(mfa_tenant, web).mfa_token
    assert token is not None
    challenge = web.client.mfa.challenge(token, challenge_type="oob")
    oob = challenge["oob_code"]
    with pytest.raises(auth0_native.Auth0TimeoutError):
        web.client.mfa.verify(token, oob_code=oob, interval=1, timeout=1.5)
    mfa_tenant.dev("POST", "mfa/approve", {"oob_code": oob})
    result = web.client.mfa.verify(token, oob_code=oob, interval=1.0)
    assert (result["id_token_payload"] or {})["sub"] == TEST_USER_ID


def test_a_push_wait_ends_when_cancelled(mfa_tenant: DevTenant) -> None:
    enroll(mfa_tenant, type="oob")
    web = make_web(mfa_tenant)
    token = mfa_required(mfa_tenant, web).mfa_token
    assert token is not None
    oob = web.client.mfa.challenge(token, challenge_type="oob")["oob_code"]
    cancel = auth0_native.CancelToken()
    timer = threading.Timer(0.2, cancel.cancel)
    timer.start()
    try:
        with pytest.raises(auth0_native.CancelledError):
            web.client.mfa.verify(token, oob_code=oob, interval=60, cancel=cancel)
    finally:
        timer.cancel()


def test_an_sms_code_is_verified_with_its_binding_code(mfa_tenant: DevTenant) -> None:
    enroll(mfa_tenant, type="oob", oob_channel="sms", phone_number="+15550001")
    web = make_web(mfa_tenant)
    token = mfa_required(mfa_tenant, web).mfa_token
    assert token is not None
    challenge = web.client.mfa.challenge(token, challenge_type="oob")
    assert challenge["binding_method"] == "prompt"
    pending = mfa_tenant.dev("GET", "mfa/pending")
    binding = next(p["binding_code"] for p in pending if p["oob_code"] == challenge["oob_code"])
    result = web.client.mfa.verify(token, oob_code=challenge["oob_code"], binding_code=binding)
    assert result["access_token"]


def test_authenticators_and_associate(mfa_tenant: DevTenant) -> None:
    web = make_web(mfa_tenant)
    mfa_tenant.dev("POST", "settings", {"mfa_policy": "all"})
    token = mfa_required(mfa_tenant, web).mfa_token
    assert token is not None
    enrolled = web.client.mfa.associate(token, authenticator_types=["otp"])
    assert enrolled["authenticator_type"] == "otp"
    assert enrolled["barcode_uri"].startswith("otpauth://totp/")
    assert len(enrolled["recovery_codes"]) == 1
    web.client.mfa.verify(token, otp=totp(mfa_tenant, enrolled["secret"]))
    listed = web.client.mfa.authenticators(mfa_required(mfa_tenant, web).mfa_token or "")
    assert {"otp", "recovery-code"} <= {a["authenticator_type"] for a in listed}
    assert all(a["active"] for a in listed)


def test_a_wrong_otp_is_a_server_error(mfa_tenant: DevTenant) -> None:
    enroll(mfa_tenant, type="otp", secret=SECRET)
    web = make_web(mfa_tenant)
    token = mfa_required(mfa_tenant, web).mfa_token or ""
    wrong = f"{(int(totp(mfa_tenant)) + 1) % 1_000_000:06d}"
    with pytest.raises(auth0_native.ServerError) as caught:
        web.client.mfa.verify(token, otp=wrong)
    assert (caught.value.code, caught.value.status_code) == ("invalid_grant", 403)


def test_arguments_are_checked(web: auth0_native.WebAuth) -> None:
    with pytest.raises(TypeError, match="otpp"):
        web.client.mfa.verify("t", otpp="1")  # type: ignore[call-arg]
    with pytest.raises(auth0_native.InvalidArgumentError, match="one of otp, oobCode"):
        web.client.mfa.verify("t")
    with pytest.raises(auth0_native.InvalidArgumentError, match="interval"):
        web.client.mfa.verify("t", oob_code="o", interval=-1)
    with pytest.raises(auth0_native.InvalidArgumentError, match="mfaToken option is required"):
        web.client.mfa.challenge("")
    with pytest.raises(TypeError):
        web.client.mfa.challenge(7)  # type: ignore[arg-type]


def test_times_are_seconds(mfa_tenant: DevTenant) -> None:
    enroll(mfa_tenant, type="oob")
    web = make_web(mfa_tenant)
    token = mfa_required(mfa_tenant, web).mfa_token or ""
    oob = web.client.mfa.challenge(token, challenge_type="oob")["oob_code"]
    started = time.monotonic()
    with pytest.raises(auth0_native.Auth0TimeoutError):
        web.client.mfa.verify(token, oob_code=oob, timeout=1)
    # A bound of one second, not one millisecond nor a thousand seconds.
    assert 0.9 <= time.monotonic() - started < 30


def totp_now(secret: str) -> str:
    """RFC 6238 (HMAC-SHA-1, 6 digits, 30 s steps) for a base32 secret."""
    key = base64.b32decode(secret)
    mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def test_totp_of_the_test_matches_the_tenant(tenant: DevTenant) -> None:
    # Within one step of each other (the two clocks read a moment apart).
    now = int(time.time())
    codes = {
        tenant.dev("GET", f"mfa/totp?secret={SECRET}&time={now + d}")["code"] for d in (-30, 0, 30)
    }
    assert totp_now(SECRET) in codes


def test_the_mfa_otp_example_logs_in_with_the_code_from_the_environment(
    devtenant_bin: pathlib.Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTH0_")}
    env["AUTH0_DEVTENANT_BIN"] = str(devtenant_bin)
    env["AUTH0_MFA_OTP"] = totp_now(SECRET)
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "examples" / "python" / "mfa_otp.py")],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "client.login: MfaRequiredError mfa_required" in out
    assert f"sub = {TEST_USER_ID}" in out
    assert out.rstrip().endswith("mfa login: ok")
    assert not re.search(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", out), "a token was printed"
