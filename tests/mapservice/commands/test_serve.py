"""``minfastighet serve --workers N``: gunicorn processes answer like waitress's threads, and
trust no proxy header on their own (the app's ``proxy_count`` decides)."""

from __future__ import annotations

import concurrent.futures
import json
import urllib.request

import pytest


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.load(response)


@pytest.fixture(scope="module")
def two_workers(full_sample, serve):
    with serve(full_sample.directory, threads=2, workers=2) as base:
        yield base


def test_two_worker_processes_answer_reports_and_searches(two_workers):
    status, found = _get(f"{two_workers}/api/v1/search?q=BJ%C3%96RK%C3%85SEN%202:1")
    assert status == 200
    unit = found["suggestions"][0]["unit_id"]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda _: _get(f"{two_workers}/api/v1/properties/{unit}"), range(16))
        )
    assert {status for status, _ in answers} == {200}
    for _, body in answers:
        body.pop("created")  # the moment each report was made
    assert len({json.dumps(body, sort_keys=True) for _, body in answers}) == 1


def test_a_forwarded_scheme_is_not_trusted_by_the_server(two_workers):
    _, landing = _get(f"{two_workers}/ogc/?f=json", {"X-Forwarded-Proto": "https"})
    assert landing["links"]
    assert all(link["href"].startswith("http://127.0.0.1") for link in landing["links"])
