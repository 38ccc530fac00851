"""How a preheated kernel proves to the server that it is the kernel whose page's request it asks for.

A kernel waiting in Voila's pool learns its page's query string over the server's ``voila/query/<kernel id>``
websocket once a page takes it. The kernel's id is in the page's HTML, so the id alone proves nothing; the kernel's
message key (the ``key`` of its connection file, which only the server and the kernel read) does. Both sides of
that exchange use this module: the kernel (:func:`trajectories.serve.page`) and the server
(:class:`trajectories.kernels.KernelQueryHandler`). Only the standard library, since every kernel imports it.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Trajectories-Kernel"  # the request header that carries the proof


def query_proof(key: bytes, kernel_id: str) -> str:
    """HMAC-SHA256 of ``voila/query/<kernel id>`` under the kernel's message key, in hex.

    Parameters
    ----------
    key : bytes
        The kernel's message key (jupyter_client's ``Session.key``); must not be empty.
    kernel_id : str
        The kernel's id, as in the websocket's address.
    """
    if not isinstance(key, bytes) or not key:
        raise ValueError(f"The 'key' parameter must be the kernel's message key, non-empty bytes. Got {key!r} "
                         "instead.")
    if not isinstance(kernel_id, str):
        raise ValueError(f"The 'kernel_id' parameter must be a string. Got {kernel_id!r} instead.")
    return hmac.new(key, f"voila/query/{kernel_id}".encode(), hashlib.sha256).hexdigest()
