"""Shared pieces of every loader: the input error, the failure that collects them, the load report."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LoaderError:
    """One problem in the input, located by file, line (or element) and field."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field or '-'}: {self.message}"


class ValidationFailed(Exception):
    """Raised when the input has errors; carries all of them, not only the first."""

    def __init__(self, errors: list[LoaderError], suppressed: int = 0) -> None:
        self.errors = errors
        self.suppressed = suppressed
        lines = [str(error) for error in errors]
        if suppressed:
            lines.append(f"... and {suppressed} more errors of the same kinds")
        super().__init__("\n".join(lines))


@dataclass
class LoadReport:
    """What one load read, loaded and rejected, and the warnings it raised."""

    rows_read: dict[str, int] = field(default_factory=dict)
    rows_loaded: dict[str, int] = field(default_factory=dict)
    rows_rejected: dict[str, int] = field(default_factory=dict)
    warnings: list[LoaderError] = field(default_factory=list)
    warnings_suppressed: int = 0

    def summary(self) -> str:
        """Return a plain-text table of the counts, followed by the warnings."""
        names = sorted(set(self.rows_read) | set(self.rows_loaded))
        lines = [f"{'table':<20}{'read':>10}{'loaded':>10}{'rejected':>10}"]
        for name in names:
            lines.append(
                f"{name:<20}{self.rows_read.get(name, 0):>10,}"
                f"{self.rows_loaded.get(name, 0):>10,}{self.rows_rejected.get(name, 0):>10,}"
            )
        lines.append(f"warnings: {len(self.warnings) + self.warnings_suppressed}")
        lines.extend(f"  warning: {warning}" for warning in self.warnings)
        if self.warnings_suppressed:
            lines.append(f"  ... and {self.warnings_suppressed} more warnings of the same kinds")
        return "\n".join(lines)


def new_id(prefix: str) -> str:
    """Return a fresh opaque id such as 'g-1a2b3c4d' (random, never derived from a name)."""
    return f"{prefix}-{secrets.token_hex(4)}"
