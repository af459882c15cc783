"""Web fixtures: the app over the shipped rules (one Service per session), its test client, case texts."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "tests" / "artefacts"        # screenshots and pages for review (gitignored)


@pytest.fixture(scope="session")
def service():
    from advisor.web.service import Service

    return Service(ROOT / "rules")


@pytest.fixture
def client(service, tmp_path):
    from starlette.testclient import TestClient

    from advisor.web.app import create_app

    service.db = tmp_path / "records.sqlite3"
    with TestClient(create_app(service), base_url="http://127.0.0.1") as test_client:
        yield test_client
    service.db = None

