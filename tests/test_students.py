"""The protocol-level students of ``benchmarks/students.py`` against a real server: what the load benchmark measures
is what a page really does, and the recording it replays is still what this server serves."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from kernel_ws import PROTOCOL, decode, encode  # noqa: E402
from students import RECORDING, Replay, check_base, load_recording  # noqa: E402


def _run(coroutine):
    """``asyncio.run`` in a thread of its own (the session's sync Playwright may hold the main thread's loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_recording_is_a_page_speaking_the_pages_protocol():
    rec = load_recording()
    assert rec["websocket"]["protocol"] == PROTOCOL
    assert rec["requests"][0]["type"] == "document" and len(rec["requests"]) > 50
    assert all(r["status"] == 200 for r in rec["requests"])
    assert "gzip" in rec["requests"][0]["headers"]["accept-encoding"]
    names = [s["name"] for s in rec["websocket"]["steps"]]
    assert names[0] == "open" and "export" in names and any(n.startswith("press") for n in names)
    assert rec["leave"][0]["path"] == "/voila/api/shutdown/{kernel_id}"
    assert json.loads(RECORDING.read_text()) == rec


def test_frames_round_trip():
    frame = encode("shell", {"msg_type": "comm_msg"}, {}, {}, {"data": {"method": "update"}}, [b"\0\1"])
    m = decode(frame)
    assert (m["channel"], m["header"]["msg_type"], m["content"]["data"]["method"], m["buffers"]) == \
        ("shell", "comm_msg", "update", [b"\0\1"])
    with pytest.raises(ValueError, match="offsets"):
        decode(b"\xff" * 16)


@pytest.mark.parametrize("base", ["http://example.org:8866/", "https://127.0.0.1:8866/", "http://127.0.0.1/"])
def test_students_speak_to_loopback_only(base):
    with pytest.raises(ValueError, match="127.0.0.1"):
        check_base(base)


def test_two_students_are_served_as_the_browser_was(server):
    """Two students arrive together: every recorded file comes back with its recorded status and gzip, the kernel
    websocket speaks the page's protocol, the app's state arrives with the link's lesson, each key press's lesson
    is echoed, Export's file has the recorded name, and leaving shuts the kernels down."""
    rec = load_recording()

    async def session() -> list[Replay]:
        students = [Replay(server.url, rec, i, timeout=120) for i in range(2)]
        await asyncio.gather(*(s.arrive() for s in students))
        for k in range(1, len([s for s in rec["websocket"]["steps"] if s["name"].startswith("press")]) + 1):
            await asyncio.gather(*(s.press(k) for s in students))
        await students[0].export()
        await asyncio.gather(*(s.leave() for s in students))
        return students

    students = _run(session())
    for s in students:
        assert s.s.errors == [], s.s.errors
        assert s.s.ready is not None and s.s.html is not None and s.s.ready >= s.s.html
        assert len(s.s.presses) == 5
        assert s.s.bytes > 500_000  # the page's files, gzipped
    assert students[0].s.export == rec["recorded"]["export"]
    assert students[0].s.kernel_id != students[1].s.kernel_id
