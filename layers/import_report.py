"""The report of an import: what it read, mapped, repaired, found and did.

An :class:`ImportReport` is filled in as a file is read and validated, refused with it
(:class:`~layers.errors.ImportRefused` carries it) or recorded with the layer by
:meth:`layers.store.LayerStore.replace_layer`, where the layer's information shows it.

>>> report = ImportReport("plans", "detaljplaner.gpkg", licence="CC0 1.0", features=2)
>>> report.ok, report.to_dict()["licence"]
(True, 'CC0 1.0')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from layers.models import Model

#: Called with a line of progress (``"read 50000 of 120000 features"``).
Progress = Callable[[str], None]


def no_progress(message: str) -> None:
    """Progress that goes nowhere (the default)."""


@dataclass
class ImportReport(Model):
    """What an import found and did."""

    layer: str
    source: str
    source_crs: str | None = None
    #: The data's licence as the provider states it (shown with the layer's information).
    licence: str | None = None
    features: int = 0
    imported: int = 0
    repaired: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    dropped_columns: list[str] = field(default_factory=list)
    personal_columns: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    swapped: bool = False
    #: Read and validated only, by request (``--dry-run``): nothing was to be written.
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """True when nothing stands in the way of the import."""
        return not self.errors

    def to_text(self) -> str:
        """The report as lines for a terminal."""
        lines = [
            f"Import of {self.layer} from {self.source}"
            + (f" (licence: {self.licence})" if self.licence else ""),
            f"  source CRS: {self.source_crs or 'none'}; features read: {self.features}",
            "  columns: " + (", ".join(f"{s} → {t}" for s, t in self.columns.items()) or "none"),
        ]
        if self.dropped_columns:
            lines.append(
                "  dropped columns (not in the schema): " + ", ".join(self.dropped_columns)
            )
        if self.personal_columns:
            lines.append(
                "  owner/personal fields dropped, never stored: " + ", ".join(self.personal_columns)
            )
        lines.append(f"  geometries repaired with make_valid: {self.repaired}")
        for title, items in (
            ("duplicates", self.duplicates),
            ("overlaps", self.overlaps),
            ("warnings", self.warnings),
            ("errors", self.errors),
        ):
            if items:
                lines.append(f"  {title} ({len(items)}):")
                lines += [f"    - {item}" for item in items[:20]]
                if len(items) > 20:
                    lines.append(f"    … and {len(items) - 20} more")
        if self.swapped:
            verdict = f"imported {self.imported} features into the store"
        elif not self.ok:
            verdict = "refused; the store is unchanged"
        elif self.dry_run:
            verdict = "valid; nothing written (dry run)"
        else:  # the writing failed: the caller has the error
            verdict = "not imported; the store is unchanged"
        lines.append(f"  result: {verdict}")
        return "\n".join(lines)


def import_record(
    name: str, count: int, report: ImportReport | None, licence: str | None
) -> dict[str, Any] | None:
    """What a store keeps with a layer it swapped in: the import's report (``licence`` wins
    over the report's), a bare report of ``count`` features when only a licence is given, else
    nothing.

    >>> import_record("plans", 3, None, "CC0 1.0")["licence"]
    'CC0 1.0'
    >>> import_record("roof_faces", 10, None, None) is None
    True
    """
    if report is None and licence is None:
        return None
    if report is None:
        report = ImportReport(name, "", features=count, imported=count)
    record = {**report.to_dict(), "swapped": True}
    if licence is not None:
        record["licence"] = licence
    return record


__all__ = ["ImportReport", "Progress", "import_record", "no_progress"]
