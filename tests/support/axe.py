"""axe-core in a Playwright page: the WCAG 2.1 A and AA rules run on what the browser shows.

axe-core is vendored, test-only, under tests/support/vendor/axe-core/ (its version and licence there).
It is evaluated into the page through Playwright (no script tag, so the content security policy stays as
it is) and run over the whole document; ``violations`` answers what it found, one entry per rule with
the elements that break it, and ``report`` writes them for a failing test's message.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: the rules Norwegian law (universal design of ICT) asks for.
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

_RUN = """async (tags) => {
  const results = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    nodes: rule.nodes.map((node) => ({
      target: node.target.join(" "),
      html: node.html.slice(0, 300),
      summary: node.failureSummary,
    })),
  }));
}"""


@dataclass(frozen=True)
class Violation:
    """A rule broken on one page, as one viewer saw it, with the elements that break it."""

    where: str  # the page and who saw it how: "/floor/ as duty, en, 800x1280"
    rule: str
    impact: str
    help: str
    nodes: tuple[dict, ...]


@cache
def _source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def violations(page, where: str) -> list[Violation]:
    """The WCAG 2.1 A and AA violations on ``page`` as it is now; ``where`` names it in the report."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(_source())
    found = page.evaluate(_RUN, list(WCAG_21_AA))
    return [
        Violation(where=where, rule=v["id"], impact=v["impact"] or "", help=v["help"], nodes=tuple(v["nodes"]))
        for v in found
    ]


def counts(found: list[Violation]) -> Counter[str]:
    """Violating elements by rule."""
    return Counter({rule: n for rule, n in _by_rule(found).items()})


def _by_rule(found: list[Violation]) -> dict[str, int]:
    out: dict[str, int] = {}
    for violation in found:
        out[violation.rule] = out.get(violation.rule, 0) + len(violation.nodes)
    return out


def report(found: list[Violation], *, per_rule: int = 3) -> str:
    """The violations by rule, with the count of elements and the first few of them, where each was seen."""
    lines = [f"{len(found)} rule violations on pages, {sum(len(v.nodes) for v in found)} elements:"]
    lines += [f"  {rule}: {n} elements" for rule, n in sorted(counts(found).items())]
    for violation in found:
        lines.append(f"- {violation.rule} ({violation.impact}) on {violation.where}: {violation.help}")
        for node in violation.nodes[:per_rule]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"      {summary[:300]}")
        if len(violation.nodes) > per_rule:
            lines.append(f"    ... and {len(violation.nodes) - per_rule} more")
    return "\n".join(lines)
