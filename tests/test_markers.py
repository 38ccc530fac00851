"""The fast loop, `pytest -m "not browser"`, leaves out every test that starts Chromium or a server: tests are marked
by the fixtures they use (conftest.py), and a test that starts a server by hand without the mark is stopped."""

from __future__ import annotations

import pytest
from conftest import SERVER_FIXTURES
from servers import free_port, start_server


def test_an_unmarked_test_cannot_start_a_server():
    with pytest.raises(RuntimeError, match=r"mark it @pytest.mark.server"):
        start_server(free_port())


def test_tests_are_marked_by_the_fixtures_they_use(request):
    for item in request.session.items:
        used = set(getattr(item, "fixturenames", ()))
        if used & SERVER_FIXTURES:
            assert item.get_closest_marker("server") and item.get_closest_marker("browser"), item.nodeid
        if "browser" in used:
            assert item.get_closest_marker("browser"), item.nodeid
        if item.get_closest_marker("server"):
            assert item.get_closest_marker("browser"), item.nodeid
    assert not request.node.get_closest_marker("browser")
