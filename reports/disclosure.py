"""What the external report may publish: withheld counts that no combination of published ones narrows.

The report is a set of cells (each published count) and the relations between them that anyone reading
it knows: a total is the sum of its breakdown, a subtotal of its lines, one count is at most another
(clients are at most visits). Withholding a small count alone is not enough: an outsider can solve
those relations for it, within a section and across sections. The audit a statistical office runs is
a linear program per withheld cell: its smallest and largest value given every published cell, every
relation, that counts are not negative, and what the marks themselves say ("<10" is 1 to 9, ":" is 10
or more, since only counts that would have been published are withheld beside a small one).

``withhold`` keeps withholding until that interval is at least ``PROTECTION_WIDTH`` wide for every
withheld cell. It solves those linear programs itself, exactly (fractions, no rounding), with a small
simplex over the withheld cells that the relations tie together, so the running site needs no
numerical library; the tests attack the result with SciPy's HiGHS as an independent solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

SMALL_COUNT_LIMIT = 10
# A withheld count must keep at least five possible values for an outsider: max − min ≥ 4.
PROTECTION_WIDTH = 4


def is_small(value: int) -> bool:
    """A count from 1 to 9: withheld in its own right (0 stays 0, an absence identifies no one)."""
    return 0 < value < SMALL_COUNT_LIMIT


@dataclass(frozen=True)
class Relation:
    """``sum(left) == sum(right)``, or ``sum(left) <= sum(right)`` when ``at_most``: known to any reader."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    at_most: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return self.left + self.right

    def terms(self) -> dict[str, int]:
        """The relation as ``sum(coefficient × cell) (= or ≤) 0``."""
        terms: dict[str, int] = {}
        for key in self.left:
            terms[key] = terms.get(key, 0) + 1
        for key in self.right:
            terms[key] = terms.get(key, 0) - 1
        return {key: c for key, c in terms.items() if c}

    def holds(self, values: Mapping[str, int]) -> bool:
        difference = sum(c * values[key] for key, c in self.terms().items())
        return difference <= 0 if self.at_most else difference == 0


def _keys(cells: str | Iterable[str]) -> tuple[str, ...]:
    return (cells,) if isinstance(cells, str) else tuple(cells)


def equal(total: str | Iterable[str], parts: str | Iterable[str]) -> Relation:
    """A total (or several, added) is the sum of its parts."""
    return Relation(_keys(total), _keys(parts))


def at_most(part: str | Iterable[str], whole: str | Iterable[str]) -> Relation:
    """A count (or several, added) is never more than another (or several, added)."""
    return Relation(_keys(part), _keys(whole), at_most=True)


def withhold(values: Mapping[str, int], relations: Sequence[Relation]) -> set[str]:
    """The cells to withhold besides the small ones, each chosen as small as will do, in report order.

    Every small count is withheld. Then, while some withheld cell can be narrowed below
    ``PROTECTION_WIDTH``, one more published count is withheld: of the counts in a relation with it
    (failing those, tied to it through other relations), the smallest one that makes it safe, or else
    the one that widens it most. Withholding a count only ever widens every interval, so the cells
    made safe stay safe, and the loop ends: at worst everything tied to a cell is withheld.
    """
    audit = Audit(values, relations)
    complements: set[str] = set()
    hopeless: set[str] = set()
    while True:
        exposed = next(
            (key for key in values if key in audit.withheld and key not in hopeless and not audit.protected(key)),
            None,
        )
        if exposed is None:
            return complements
        candidates = audit.candidates(exposed)
        if not candidates:
            hopeless.add(exposed)  # nothing left to withhold; the tests prove this never happens
            continue
        best, best_width = candidates[0], Fraction(-1)
        for candidate in candidates:
            width = audit.width(exposed, extra=candidate)
            if width >= PROTECTION_WIDTH:
                best = candidate
                break
            if width > best_width:
                best, best_width = candidate, width
        audit.withheld.add(best)
        complements.add(best)


class Audit:
    """The linear-programming audit of one report: published and withheld cells, and their relations."""

    def __init__(self, values: Mapping[str, int], relations: Sequence[Relation]) -> None:
        unknown = {key for relation in relations for key in relation.keys} - set(values)
        if unknown:
            raise ValueError(f"Relations name cells the report does not have: {sorted(unknown)}")
        self.values = dict(values)
        self.relations = list(relations)
        self.order = {key: index for index, key in enumerate(values)}
        self.withheld = {key for key, value in values.items() if is_small(value)}
        self.touching: dict[str, list[Relation]] = {key: [] for key in values}
        for relation in self.relations:
            for key in set(relation.keys):
                self.touching[key].append(relation)

    def bounds(self, key: str) -> tuple[int, int | None]:
        """What the mark itself tells: "<10" is 1 to 9, ":" (a count that would have been shown) 10 or more."""
        return (1, SMALL_COUNT_LIMIT - 1) if is_small(self.values[key]) else (SMALL_COUNT_LIMIT, None)

    def protected(self, key: str) -> bool:
        return self.width(key) >= PROTECTION_WIDTH

    def width(self, key: str, *, extra: str | None = None) -> Fraction:
        """max − min of the cell over everything published (a very large number when unbounded)."""
        low, high = self.interval(key, extra=extra)
        return Fraction(10**9) if high is None else high - low

    def candidates(self, key: str) -> list[str]:
        """Published counts to withhold for ``key``: those in a relation with it, else any tied to it."""

        def published(keys: Iterable[str]) -> list[str]:
            chosen = {k for k in keys if k not in self.withheld and self.values[k] >= SMALL_COUNT_LIMIT}
            return sorted(chosen, key=lambda k: (self.values[k], self.order[k]))

        near = published(k for relation in self.touching[key] for k in relation.keys)
        if near:
            return near
        seen, todo = {key}, [key]
        while todo:
            for relation in self.touching[todo.pop()]:
                for k in relation.keys:
                    if k not in seen:
                        seen.add(k)
                        todo.append(k)
        return published(seen)

    def interval(self, key: str, *, extra: str | None = None) -> tuple[Fraction, Fraction | None]:
        """The smallest and largest value of a withheld cell an outsider can work out (None: no limit)."""
        withheld = self.withheld | {extra} if extra else self.withheld
        # Only the withheld cells tied to this one through relations matter; the rest are constants.
        cells, todo = [key], [key]
        relations: list[Relation] = []
        seen_relations: set[int] = set()
        while todo:
            for relation in self.touching[todo.pop()]:
                if id(relation) in seen_relations:
                    continue
                seen_relations.add(id(relation))
                relations.append(relation)
                for k in relation.keys:
                    if k in withheld and k not in cells:
                        cells.append(k)
                        todo.append(k)
        column = {k: i for i, k in enumerate(cells)}
        lows = [self.bounds(k)[0] for k in cells]
        # Variables y = x − low ≥ 0. Rows: each relation, then each upper bound.
        rows: list[tuple[list[Fraction], Fraction, bool]] = []
        for relation in relations:
            row = [Fraction(0)] * len(cells)
            rhs = Fraction(0)
            for k, c in relation.terms().items():
                if k in column:
                    row[column[k]] += c
                    rhs -= c * lows[column[k]]
                else:
                    rhs -= c * self.values[k]
            rows.append((row, rhs, relation.at_most))
        for k in cells:
            high = self.bounds(k)[1]
            if high is not None:
                row = [Fraction(0)] * len(cells)
                row[column[k]] = Fraction(1)
                rows.append((row, Fraction(high - lows[column[k]]), True))
        low = _minimise(rows, len(cells), 0, +1)
        high = _minimise(rows, len(cells), 0, -1)
        return lows[0] + low, None if high is None else lows[0] - high


def _minimise(rows: list[tuple[list[Fraction], Fraction, bool]], n: int, j: int, sign: int) -> Fraction | None:
    """min sign × y_j subject to the rows (``row · y = rhs``, or ``≤`` when flagged) and y ≥ 0.

    Standard form with a slack per inequality, then the two-phase simplex with Bland's rule (which
    cannot cycle), in exact fractions. None when unbounded below. The true figures are always a
    solution, so the program is never infeasible.
    """
    slacks = sum(1 for _row, _rhs, at_most in rows if at_most)
    width = n + slacks
    a: list[list[Fraction]] = []
    b: list[Fraction] = []
    s = n
    for row, rhs, at_most in rows:
        full = row + [Fraction(0)] * slacks
        if at_most:
            full[s] = Fraction(1)
            s += 1
        if rhs < 0:
            full, rhs = [-v for v in full], -rhs
        a.append(full)
        b.append(rhs)
    m = len(a)
    # Phase 1: an artificial variable per row, minimise their sum.
    tableau = [a[i] + [Fraction(int(i == r)) for r in range(m)] + [b[i]] for i in range(m)]
    basis = [width + i for i in range(m)]
    _simplex(tableau, basis, [Fraction(0)] * width + [Fraction(1)] * m)
    if sum(tableau[i][-1] for i in range(m) if basis[i] >= width):
        raise ValueError("The published figures contradict the relations.")
    # Drive the artificials left (at zero) out of the basis; a row with nothing else is redundant.
    for i in reversed(range(m)):
        if basis[i] >= width:
            pivot = next((c for c in range(width) if tableau[i][c] != 0), None)
            if pivot is None:
                del tableau[i], basis[i]
            else:
                _pivot(tableau, basis, i, pivot)
    tableau = [row[:width] + [row[-1]] for row in tableau]
    cost = [Fraction(0)] * width
    cost[j] = Fraction(sign)
    if not _simplex(tableau, basis, cost):
        return None
    return sum((cost[basis[i]] * tableau[i][-1] for i in range(len(basis))), Fraction(0))


def _simplex(tableau: list[list[Fraction]], basis: list[int], cost: list[Fraction]) -> bool:
    """Minimise ``cost`` from a feasible basis; False when unbounded."""
    columns = len(tableau[0]) - 1 if tableau else 0
    while True:
        entering = None
        for c in range(columns):
            if c in basis:
                continue
            reduced = cost[c] - sum((cost[basis[i]] * tableau[i][c] for i in range(len(basis))), Fraction(0))
            if reduced < 0:
                entering = c
                break
        if entering is None:
            return True
        leaving, best = None, None
        for i, row in enumerate(tableau):
            if row[entering] > 0:
                ratio = row[-1] / row[entering]
                if best is None or ratio < best or (ratio == best and basis[i] < basis[leaving]):
                    leaving, best = i, ratio
        if leaving is None:
            return False
        _pivot(tableau, basis, leaving, entering)


def _pivot(tableau: list[list[Fraction]], basis: list[int], r: int, c: int) -> None:
    pivot = tableau[r][c]
    tableau[r] = [v / pivot for v in tableau[r]]
    for i, row in enumerate(tableau):
        if i != r and row[c] != 0:
            factor = row[c]
            tableau[i] = [v - factor * p for v, p in zip(row, tableau[r], strict=True)]
    basis[r] = c
