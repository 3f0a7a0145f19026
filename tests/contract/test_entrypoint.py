"""The container's entrypoint script, run as the image runs it (no Docker engine needed)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from tests.servers import ROOT, SERVER_BIN, running_server
from tests.spec_check import checked_openai

ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"


def test_entrypoint_migrates_and_serves(tmp_path: Path) -> None:
    env = {
        "PATH": f"{SERVER_BIN.parent}:{os.environ['PATH']}",
        "ASSISTANTS_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'assistants.db'}",
        "ASSISTANTS_STORAGE_URL": str(tmp_path / "data" / "files"),
        "ASSISTANTS_API_KEYS": "sk-entrypoint",
    }
    with running_server(env, tmp_path / "server.log", command=["sh", str(ENTRYPOINT)]) as url:
        assert httpx.get(url.removesuffix("/v1") + "/healthz").json() == {"status": "ok"}
        with checked_openai(base_url=url, api_key="sk-entrypoint", max_retries=0) as client:
            created = client.beta.assistants.create(model="gpt-4o", name="from the image")
            assert client.beta.assistants.retrieve(created.id).name == "from the image"
    assert (tmp_path / "data" / "assistants.db").exists()


def test_dockerfile_uses_the_entrypoint_as_non_root() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "COPY docker/entrypoint.sh /usr/local/bin/assistants-entrypoint" in dockerfile
    assert 'ENTRYPOINT ["assistants-entrypoint"]' in dockerfile
    assert "useradd --create-home --uid 10001 assistants" in dockerfile
    assert "\nUSER 10001\n" in dockerfile  # numeric, so runAsNonRoot can check it
