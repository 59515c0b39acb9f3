"""The shared URL fixture (tests/fixtures/authorize_urls.json), as the Rust and C tests run it.

The fixture's option names are auth0.js's camelCase; the module takes them
unchanged as keywords, except the parameters this library has no keyword
for, which Python takes through ``extra_params`` (an unknown keyword is a
``TypeError``).
"""

from typing import Any, Dict, List
from urllib.parse import urlsplit

import pytest

import auth0_native
from helpers import load_fixture, query_pairs

FIXTURE = load_fixture("authorize_urls.json")
URL_CASES: List[Dict[str, Any]] = [c for c in FIXTURE["url_cases"] if "error" not in c]
REFUSED_CASES: List[Dict[str, Any]] = [c for c in FIXTURE["url_cases"] if "error" in c]
CONSTRUCTOR_ERRORS: List[Dict[str, Any]] = FIXTURE["constructor_errors"]
KEY_ORDERS: List[Dict[str, Any]] = FIXTURE["authorize_key_orders"]


# The fixture's parameters that v8 sends without knowing them.
FREE_PARAMETERS = {"custom"}


def run_case(case: Dict[str, Any]) -> str:
    web = auth0_native.WebAuth(**case["webauth"])
    if case["op"] == "build_authorize_url":
        options = {k: v for k, v in case["options"].items() if k not in FREE_PARAMETERS}
        extra = {k: v for k, v in case["options"].items() if k in FREE_PARAMETERS}
        if extra:
            options["extra_params"] = extra
        return web.client.build_authorize_url(**options)
    if case["op"] == "logout":
        return web.logout(**case["options"])
    raise AssertionError(f"unknown op {case['op']!r} in the fixture")


def ids(cases: List[Dict[str, Any]]) -> List[str]:
    return [c["name"] for c in cases]


def test_fixture_has_cases_of_every_group() -> None:
    assert URL_CASES and REFUSED_CASES and CONSTRUCTOR_ERRORS


@pytest.mark.parametrize("case", URL_CASES, ids=ids(URL_CASES))
def test_url_case_gives_the_expected_query(case: Dict[str, Any]) -> None:
    url = run_case(case)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == case["url_base"]
    assert query_pairs(url) == [tuple(pair) for pair in case["query"]]


@pytest.mark.parametrize("case", URL_CASES, ids=ids(URL_CASES))
def test_url_case_gives_the_exact_raw_url(case: Dict[str, Any]) -> None:
    assert run_case(case) == case["raw"]


@pytest.mark.parametrize("case", REFUSED_CASES, ids=ids(REFUSED_CASES))
def test_refused_case_raises_invalid_argument_with_its_description(case: Dict[str, Any]) -> None:
    with pytest.raises(auth0_native.InvalidArgumentError) as caught:
        run_case(case)
    assert caught.value.code == case["error"]["code"]
    assert caught.value.description == case["error"]["description"]


@pytest.mark.parametrize("case", KEY_ORDERS, ids=ids(KEY_ORDERS))
def test_authorize_writes_its_parameters_in_the_fixture_order(case: Dict[str, Any]) -> None:
    web = auth0_native.WebAuth(**case["webauth"])
    url = web.authorize(**case["options"])
    assert url.startswith(case["url_base"] + "?")
    assert [k for k, _ in query_pairs(url)] == case["keys"]


@pytest.mark.parametrize("case", CONSTRUCTOR_ERRORS, ids=ids(CONSTRUCTOR_ERRORS))
def test_constructor_error_raises_invalid_argument_with_its_description(
    case: Dict[str, Any],
) -> None:
    with pytest.raises(auth0_native.InvalidArgumentError) as caught:
        auth0_native.WebAuth(**case["webauth"])
    assert caught.value.code == case["error"]["code"]
    assert caught.value.description == case["error"]["description"]
