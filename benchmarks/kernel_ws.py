"""The kernel websocket's binary protocol, ``v1.kernel.websocket.jupyter.org``, as JupyterLab's page speaks it.

A frame is: the number of offsets (8 bytes, little endian), the offsets, then the channel name and the message's
parts (header, parent header, metadata, content, buffers...). Shared by the recorder (``record_student.py``),
which reads what Chromium sent, and the protocol-level students (``students.py``), which speak it.
"""

from __future__ import annotations

import json
from typing import Any

PROTOCOL = "v1.kernel.websocket.jupyter.org"


def encode(channel: str, header: dict, parent: dict, metadata: dict, content: dict,
           buffers: list[bytes] = ()) -> bytes:
    """One frame, as ``@jupyterlab/services`` serializes a message for the v1 protocol."""
    parts = [channel.encode(), *(json.dumps(p, separators=(",", ":")).encode()
                                 for p in (header, parent, metadata, content)), *buffers]
    offsets = [8 * (1 + len(parts) + 1)]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + b"".join(parts)


def parts(frame: bytes) -> list[bytes]:
    """The channel and the message's parts of one frame, undecoded."""
    n = int.from_bytes(frame[:8], "little")
    if not 2 <= n <= 64 or len(frame) < 8 * (n + 1):
        raise ValueError(f"The frame must start with 2 to 64 offsets. Got {n} in a frame of {len(frame)} bytes.")
    offsets = [int.from_bytes(frame[8 * (i + 1):8 * (i + 2)], "little") for i in range(n)]
    return [frame[offsets[i]:offsets[i + 1]] for i in range(n - 1)]


def decode(frame: bytes) -> dict[str, Any]:
    """A frame as a message: channel, header, parent_header, metadata, content, buffers."""
    p = parts(frame)
    if len(p) < 5:
        raise ValueError(f"The frame must carry a channel and four message parts. Got {len(p)} parts.")
    header, parent, metadata, content = (json.loads(x) for x in p[1:5])
    return {"channel": p[0].decode(), "header": header, "parent_header": parent, "metadata": metadata,
            "content": content, "buffers": p[5:]}


def peek(frame: bytes) -> tuple[str, str]:
    """The channel and msg_type of a frame, reading only its header (a widget's state can be 0.5 MB)."""
    p = parts(frame)
    return p[0].decode(), json.loads(p[1]).get("msg_type", "")


def comm_method(message: dict[str, Any]) -> str | None:
    """The widget method a comm_msg carries (``update_states``, ``echo_update``, ``custom``...), or None."""
    data = message["content"].get("data") if isinstance(message.get("content"), dict) else None
    return data.get("method") if isinstance(data, dict) else None
