"""The access log, and log lines no request can forge.

One line per request on the ``mapservice.access`` logger: method, the matched route's rule
(``/fastighet/<path:unit_id>``, never the values in it), the names of the query parameters
(never their values), the status and the milliseconds taken. No client address, designation or
search text is stored, so the log holds nothing a person typed.

Every record of the service's loggers (``mapservice`` and below) is written on one line of at
most about :data:`LONGEST` characters: a
carriage return, line feed or other control character in its message (a path such as
``/x%0d%0aINFO forged``) is escaped as ``\\r``, ``\\n``, ``\\x1b``, so a request cannot add a line
that looks like the service's own.

>>> one_line("GET /x\\r\\nINFO forged")
'GET /x\\\\r\\\\nINFO forged'
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, g, request

from mapservice.web.resources import get_settings

log = logging.getLogger("mapservice.access")

_ESCAPES = {ord("\r"): "\\r", ord("\n"): "\\n", ord("\t"): "\\t"}
_ESCAPES.update({c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F) if c not in _ESCAPES})
_ESCAPES.update({0x2028: "\\u2028", 0x2029: "\\u2029", 0x85: "\\x85"})


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped."""
    return text.translate(_ESCAPES)


_make_record = logging.getLogRecordFactory()
#: A message longer than this is cut (a 2 kB path would otherwise fill the log).
LONGEST = 1000


def _one_line_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _make_record(*args, **kwargs)
    if record.name == "mapservice" or record.name.startswith("mapservice."):
        message = record.getMessage()
        escaped = one_line(message[:LONGEST])
        if len(message) > LONGEST:
            escaped += f"… ({len(message) - LONGEST} more characters)"
        if escaped != message:
            record.msg, record.args = escaped, None
    return record


def _started() -> None:
    g.access_started = time.perf_counter()


def _log(response: Response) -> Response:
    started = g.get("access_started")
    if started is not None and log.isEnabledFor(logging.INFO):
        rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
        names = "…" if g.get("oversized") else ",".join(sorted(set(request.args)))
        log.info(
            "%s %s%s %d %.1f ms",
            request.method,
            rule,
            f"?{names}" if names else "",
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
    return response


def init_app(app: Flask) -> None:
    """Log every request of ``app`` (if ``access_log`` is on); keep the service's lines whole."""
    if logging.getLogRecordFactory() is not _one_line_record:
        logging.setLogRecordFactory(_one_line_record)
    if get_settings(app).access_log:
        app.before_request_funcs.setdefault(None, []).insert(0, _started)
        app.after_request(_log)
