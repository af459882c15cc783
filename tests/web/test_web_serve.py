"""advisor serve's command line: it listens on 127.0.0.1 unless told otherwise, and warns when it is."""
from __future__ import annotations

import pytest

from advisor.cli import main

pytestmark = pytest.mark.usefixtures("english")   # asserts the English words of diagnostics and CLI lines


@pytest.fixture
def served(monkeypatch):
    """uvicorn.run replaced by a recorder: the command's checks and words, without a server."""
    import uvicorn

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    return calls


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_serve_on_another_address_warns_that_the_network_can_see_the_cases(runner, served, host):
    result = runner.invoke(main, ["serve", "--host", host, "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert served == [{"host": host, "port": 8123, "log_level": "warning", "access_log": False}]
    assert f"warning: listening on {host}: anyone on this network can open the page" in result.stderr
    assert "warning" not in result.stdout


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_serve_on_this_computer_only_does_not_warn(runner, served, host):
    result = runner.invoke(main, ["serve", "--host", host])
    assert result.exit_code == 0 and served[0]["host"] == host and "warning" not in result.output


def test_serve_listens_on_127_0_0_1_by_default(runner, served):
    result = runner.invoke(main, ["serve"])
    assert result.exit_code == 0 and served[0]["host"] == "127.0.0.1" and served[0]["port"] == 8000
    assert result.stdout == "advisor: open http://127.0.0.1:8000/  (Ctrl-C to stop)\n"
