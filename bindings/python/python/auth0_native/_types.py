"""The shapes of the dicts auth0_native returns.

Real classes, not only stub declarations, so that ``from auth0_native import
AuthorizeRequest`` also works at run time (in an annotation, a cast, a test).
"""

import os
from typing import TypedDict, Union

__all__ = ["AuthorizeRequest", "TransactionOptions"]


class _AuthorizeRequestRequired(TypedDict):
    url: str
    state: str


class AuthorizeRequest(_AuthorizeRequestRequired, total=False):
    """What ``WebAuth.authorize_request`` returns.

    ``url`` is the ``/authorize`` URL to open; ``state`` the value recorded in
    the handle's transaction store (generated unless you passed one);
    ``nonce`` is present when the response type has ``id_token``.
    """

    nonce: str


class TransactionOptions(TypedDict, total=False):
    """The ``transaction`` option of ``WebAuth``: where ``authorize`` records state.

    ``store`` is ``"memory"`` (the default, per handle) or ``"file"`` (one
    file per tenant and client, mode 0600, for an app that the OS starts
    again with the callback URL); ``path`` the file (implies ``"file"``);
    ``ttl`` the lifetime of an entry in seconds (default 1800, 1 to 86400).
    """

    store: str
    path: Union[str, "os.PathLike[str]"]
    ttl: int
