"""Where the service's gettext catalogs live (shared by Flask-Babel and the PDF, no Flask)."""

from __future__ import annotations

from pathlib import Path

#: The ``translations`` directory: ``<lang>/LC_MESSAGES/messages.{po,mo}``.
TRANSLATIONS = Path(__file__).parent / "translations"
