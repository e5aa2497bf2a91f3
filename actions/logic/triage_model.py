"""The triage result types, kept apart so every triage module can share them without cycles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Area = Literal["pt", "ot", "other"]
Therapy = Literal["pt", "ot", "both", "other"]


@dataclass(frozen=True)
class Finding:
    """One sign the parent described, and the therapy area it points to."""

    area: Area
    label: str


@dataclass(frozen=True)
class Assessment:
    """What was noticed so far; concerns add up across turns through `merge`."""

    findings: tuple[Finding, ...] = ()
    conditions: tuple[str, ...] = ()

    @property
    def therapy(self) -> Therapy | None:
        """The suggestion: named conditions or a PT+OT mix mean both; None if nothing known."""
        areas = {finding.area for finding in self.findings}
        if self.conditions or {"pt", "ot"} <= areas:
            return "both"
        for area in ("pt", "ot", "other"):
            if area in areas:
                return area  # type: ignore[return-value]
        return None

    def merge(self, other: Assessment) -> Assessment:
        """Both turns' concerns together; earlier mentions keep their place."""
        return Assessment(
            unique_findings((*self.findings, *other.findings)),
            tuple(dict.fromkeys((*self.conditions, *other.conditions))),
        )

    def to_slot(self) -> list[str]:
        """Flat strings for a Rasa list slot, e.g. ["pt:crawling", "condition:Down syndrome"]."""
        return [f"{f.area}:{f.label}" for f in self.findings] + [
            f"condition:{name}" for name in self.conditions
        ]

    @classmethod
    def from_slot(cls, values: list[str] | None) -> Assessment:
        """Rebuild from `to_slot` output; malformed entries are skipped, not fatal."""
        findings: list[Finding] = []
        conditions: list[str] = []
        for value in values or []:
            area, sep, label = str(value).partition(":")
            label = label.strip()
            if not sep or not label:
                continue
            if area == "condition":
                conditions.append(label)
            elif area in ("pt", "ot", "other"):
                findings.append(Finding(area, label))  # type: ignore[arg-type]
        return cls(unique_findings(findings), tuple(dict.fromkeys(conditions)))


def unique_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """One finding per label; the first mention wins."""
    seen: dict[str, Finding] = {}
    for finding in findings:
        seen.setdefault(finding.label, finding)
    return tuple(seen.values())
