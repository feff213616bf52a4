"""schemathesis over both OpenAPI documents: the OGC API (``/ogc/api``) and the service's own API
(``/api/v1/openapi.json``), against ``minfastighet serve`` in its own process.

Every operation of each document (the document's own included) gets one Hypothesis run: no 5xx,
every status and media type declared, every body valid against its schema, every declared header
right. The default suite runs 50 examples per operation; the ``fuzz`` job (deselected by
default, run by ``.ci/run`` through the README's test command: ``python -m pytest -m fuzz
tests/fuzz``) runs 500. schemathesis's pytest plugin is not used: it does not work with
pytest 9.2.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
]
QUICK, THOROUGH = 50, 500
#: Where each document is served; its path is left out of ``get_all_operations``.
DOCUMENTS = {"ogc": ("/ogc/api", "/ogc/api"), "api": ("/api/v1/openapi.json", "/openapi.json")}


@pytest.fixture(scope="module")
def server(full_sample, serve):
    with serve(full_sample.directory) as base:
        yield base


def _examine(operation, examples: int, seen: Counter) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        seen[operation.label] += 1
        case.call_and_validate(checks=CHECKS)

    check()


def fuzz(server: str, document: str, examples: int) -> Counter:
    """Run every operation of ``document`` (a key of :data:`DOCUMENTS`) with up to ``examples``
    examples; return how many cases each operation got."""
    url, own_path = DOCUMENTS[document]
    schema = schemathesis.openapi.from_url(server + url)
    seen: Counter = Counter()
    for result in schema.get_all_operations():
        _examine(result.ok(), examples, seen)
    # schemathesis leaves out the operation its schema was loaded from
    _examine(schema[own_path]["GET"], examples, seen)
    print(f"schemathesis examples per operation ({document}):", dict(sorted(seen.items())))
    return seen


def _open_operations(seen: Counter, document: str) -> list[str]:
    """The operations whose inputs are open (numbers, free text, bodies): Hypothesis cannot
    exhaust them, so each must have had every example. The others (only enumerations, or no
    parameters) are exhausted earlier."""
    if document == "ogc":
        marks = ("/items", "solar/point", "{z}")
        return [label for label in seen if any(mark in label for mark in marks)]
    return [label for label in seen if "openapi.json" not in label]


def _assert_enough(seen: Counter, document: str, examples: int) -> None:
    open_ops = _open_operations(seen, document)
    if document == "ogc":
        assert len(seen) == 24
        assert len(open_ops) == 16  # 7 items, 7 single items, tiles, point
    else:
        assert len(seen) >= 6
    assert all(seen[label] >= examples for label in open_ops), dict(seen)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_schemathesis(server, document):
    _assert_enough(fuzz(server, document, QUICK), document, QUICK)


@pytest.mark.fuzz
@pytest.mark.parametrize("document", DOCUMENTS)
def test_schemathesis_500_examples(server, document):
    _assert_enough(fuzz(server, document, THOROUGH), document, THOROUGH)
