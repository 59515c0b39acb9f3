"""Helpers shared by the tests of the auth0_native Python module."""

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import unquote, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURES = REPO_ROOT / "tests" / "fixtures"


def load_fixture(name: str) -> Dict[str, Any]:
    with open(FIXTURES / name, encoding="utf-8") as f:
        data: Dict[str, Any] = json.load(f)
    return data


def query_pairs(url: str) -> List[Tuple[str, Optional[str]]]:
    """The URL's query as ordered, decoded pairs; a bare key (``&federated``) has ``None``.

    ``urllib.parse.parse_qsl`` cannot tell ``federated`` from ``federated=``,
    which the fixtures distinguish.
    """
    query = urlsplit(url).query
    pairs: List[Tuple[str, Optional[str]]] = []
    for part in query.split("&") if query else []:
        key, sep, value = part.partition("=")
        pairs.append((unquote(key), unquote(value) if sep else None))
    return pairs


def query_dict(url: str) -> Dict[str, Optional[str]]:
    return dict(query_pairs(url))
