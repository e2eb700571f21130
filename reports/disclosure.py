"""What the external report may publish: withheld counts that no combination of published ones narrows.

The report is a set of cells (each published count) and the relations between them that anyone reading
it knows: a total is the sum of its breakdown, a subtotal of its lines, one count is at most another
(clients are at most visits). Withholding a small count alone is not enough: an outsider can solve
those relations for it, within a section and across sections. The audit a statistical office runs is
a linear program per withheld cell: its smallest and largest value given every published cell, every
relation, and what the marks themselves say ("<10" is 1 to 9, ":" is 1 or more: a count withheld
beside a small one, or a small one whose "at most 9" would give a total away; 0 is never withheld).

``withhold`` keeps withholding until that interval is at least ``PROTECTION_WIDTH`` wide for every
withheld cell. It solves those linear programs itself, exactly (whole numbers and fractions, no
rounding), with a small simplex over the withheld cells that the relations tie together, so the
running site needs no numerical library; the tests attack the result with SciPy's HiGHS as an
independent solver.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

logger = logging.getLogger(__name__)

SMALL_COUNT_LIMIT = 10
# A withheld count must keep at least five possible values for an outsider: max − min ≥ 4.
PROTECTION_WIDTH = 4
# The simplex keeps whole numbers as int (fast) and turns to Fraction only on a division: exact either way.
Exact = int | Fraction


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
    """The cells to show as ":"; see ``_withhold``. Kept per process for the same figures (a month's
    report is read many times, and the audit solves hundreds of small programs): the first reading pays."""
    return set(_withhold_kept(tuple(values.items()), tuple(relations)))


@functools.lru_cache(maxsize=256)
def _withhold_kept(values: tuple[tuple[str, int], ...], relations: tuple[Relation, ...]) -> frozenset[str]:
    return frozenset(_withhold(dict(values), relations))


def _withhold(values: Mapping[str, int], relations: Sequence[Relation]) -> set[str]:
    """The cells to show as ":" (withheld, 1 or more), chosen as few and as small as will do, in report order.

    Every small count is withheld ("<10": 1 to 9). Then, while some withheld cell can be narrowed
    below ``PROTECTION_WIDTH``, one more step is taken for it: withhold a published count in a
    relation with it (failing those, tied to it through other relations), the smallest that makes
    it safe; when none is left, show a small count as ":" instead of "<10" (itself first), so that
    its "at most 9" no longer pins a total of many small lines. Each step only widens every
    interval, so cells found safe stay safe, and the loop ends: at worst everything tied to a cell
    is withheld as ":".
    """
    audit = Audit(values, relations)
    hopeless: set[str] = set()
    while True:
        exposed = next(
            (key for key in values if key in audit.withheld and key not in hopeless and not audit.protected(key)),
            None,
        )
        if exposed is None:
            return audit.open
        candidates = audit.candidates(exposed) or audit.openable(exposed)
        if not candidates:  # nothing left to withhold; the tests have never found such a month
            logger.warning("Withheld cell %s stays narrower than the protection interval", exposed)
            hopeless.add(exposed)
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
        audit.open.add(best)


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
        self.open: set[str] = set()  # withheld and shown as ":", which says only "1 or more"
        self.safe: set[str] = set()
        self.intervals: dict[tuple, tuple[Fraction, Fraction | None]] = {}
        self.touching: dict[str, list[Relation]] = {key: [] for key in values}
        for relation in self.relations:
            for key in set(relation.keys):
                self.touching[key].append(relation)

    def bounds(self, key: str, opened: set[str] | None = None) -> tuple[int, int | None]:
        """What the mark itself tells: "<10" is 1 to 9, ":" 1 or more (0 is never withheld)."""
        return (1, None) if key in (self.open if opened is None else opened) else (1, SMALL_COUNT_LIMIT - 1)

    def protected(self, key: str) -> bool:
        # Withholding more only widens intervals: a cell found safe stays safe.
        if key not in self.safe and self.width(key) >= PROTECTION_WIDTH:
            self.safe.add(key)
        return key in self.safe

    def width(self, key: str, *, extra: str | None = None) -> Fraction:
        """max − min of the cell over everything published (a very large number when unbounded)."""
        low, high = self.interval(key, extra=extra)
        return Fraction(10**9) if high is None else high - low

    def _tied(self, key: str) -> list[str]:
        """The cells in a relation with ``key``, then those tied to it further, nearest first."""
        seen, layer = [key], [key]
        while layer:
            following = []
            for k in layer:
                for relation in self.touching[k]:
                    for other in relation.keys:
                        if other not in seen:
                            seen.append(other)
                            following.append(other)
            layer = following
        return seen

    def candidates(self, key: str) -> list[str]:
        """Published counts to withhold for ``key``: those in a relation with it, else any tied to it."""

        def published(keys: Iterable[str]) -> list[str]:
            chosen = {k for k in keys if k not in self.withheld and self.values[k] >= SMALL_COUNT_LIMIT}
            return sorted(chosen, key=lambda k: (self.values[k], self.order[k]))

        return published(k for relation in self.touching[key] for k in relation.keys) or published(self._tied(key))

    def openable(self, key: str) -> list[str]:
        """Small counts that could show ":" instead of "<10": ``key`` itself first, then the nearest."""
        return [k for k in self._tied(key) if k in self.withheld and k not in self.open]

    def interval(self, key: str, *, extra: str | None = None) -> tuple[Fraction, Fraction | None]:
        """The smallest and largest value of a withheld cell an outsider can work out (None: no limit)."""
        withheld = self.withheld | {extra} if extra else self.withheld
        opened = self.open | {extra} if extra else self.open
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
        # The program is the same whenever the same cells are withheld around this one, the same of them
        # shown as ":": the loop asks again after every step, mostly about parts the step did not touch.
        known = (key, tuple(cells), frozenset(k for k in cells if k in opened))
        if known not in self.intervals:
            self.intervals[known] = self._solve(cells, relations, opened)
        return self.intervals[known]

    def _solve(self, cells: list[str], relations: list[Relation], opened: set[str]) -> tuple[Fraction, Fraction | None]:
        """Least and greatest value of ``cells[0]`` under ``relations``, the other cells published."""
        column = {k: i for i, k in enumerate(cells)}
        lows = [self.bounds(k, opened)[0] for k in cells]
        # Variables y = x − low ≥ 0. Rows: each relation, then each upper bound.
        rows: list[tuple[list[Exact], Exact, bool]] = []
        for relation in relations:
            row: list[Exact] = [0] * len(cells)
            rhs: Exact = 0
            for k, c in relation.terms().items():
                if k in column:
                    row[column[k]] += c
                    rhs -= c * lows[column[k]]
                else:
                    rhs -= c * self.values[k]
            rows.append((row, rhs, relation.at_most))
        for k in cells:
            bound = self.bounds(k, opened)[1]
            if bound is not None:
                row = [0] * len(cells)
                row[column[k]] = 1
                rows.append((row, bound - lows[column[k]], True))
        tableau, basis = _feasible(rows, len(cells))
        low = _optimum(tableau, basis, 0, +1)
        high = _optimum(tableau, basis, 0, -1)
        assert low is not None  # y ≥ 0: never unbounded below
        return lows[0] + low, None if high is None else lows[0] - high


def _feasible(rows: list[tuple[list[Exact], Exact, bool]], n: int) -> tuple[list[list[Exact]], list[int]]:
    """A feasible basis for the rows (``row · y = rhs``, or ``≤`` when flagged) and y ≥ 0.

    Standard form with a slack per inequality. An inequality with a right-hand side not negative
    starts the basis with its slack; every other row gets an artificial variable, and phase 1 of the
    simplex minimises their sum, then drives them out of the basis. The true figures are always a
    solution, so the program is never infeasible.
    """
    slacks = sum(1 for _row, _rhs, at_most in rows if at_most)
    width = n + slacks
    artificial = [i for i, (_row, rhs, at_most) in enumerate(rows) if not (at_most and rhs >= 0)]
    zero, one = 0, 1
    tableau: list[list[Exact]] = []
    basis: list[int] = []
    s = n
    for i, (row, rhs, at_most) in enumerate(rows):
        full = row + [zero] * (slacks + len(artificial))
        if at_most:
            full[s] = one
            basis.append(s)
            s += 1
        if rhs < 0:
            full, rhs = [-v for v in full], -rhs
        if i in artificial:
            column = width + artificial.index(i)
            full[column] = one
            if at_most:
                basis[-1] = column
            else:
                basis.append(column)
        tableau.append(full + [rhs])
    if not artificial:
        return tableau, basis
    m = len(tableau)
    _simplex(tableau, basis, [zero] * width + [one] * len(artificial))
    if sum(tableau[i][-1] for i in range(m) if basis[i] >= width):
        raise ValueError("The published figures contradict the relations.")
    for i in reversed(range(m)):
        if basis[i] >= width:
            pivot = next((c for c in range(width) if tableau[i][c] != 0), None)
            if pivot is None:  # a redundant row
                del tableau[i], basis[i]
            else:
                _pivot(tableau, basis, i, pivot)
    return [row[:width] + [row[-1]] for row in tableau], basis


def _optimum(tableau: list[list[Exact]], basis: list[int], j: int, sign: int) -> Fraction | None:
    """min sign × y_j from the feasible basis (left as it was); None when unbounded below."""
    tableau, basis = [row[:] for row in tableau], basis[:]
    cost = [0] * (len(tableau[0]) - 1 if tableau else j + 1)
    cost[j] = sign
    if not _simplex(tableau, basis, cost):
        return None
    return Fraction(sum(cost[basis[i]] * tableau[i][-1] for i in range(len(basis))))


def _simplex(tableau: list[list[Exact]], basis: list[int], cost: Sequence[Exact]) -> bool:
    """Minimise ``cost`` from a feasible basis, Bland's rule (it cannot cycle); False when unbounded.

    The reduced costs are kept as one more row, updated by each pivot like the others.
    """
    columns = len(tableau[0]) - 1 if tableau else 0
    reduced = [*cost[:columns], 0]
    for row, b in zip(tableau, basis, strict=True):
        price = cost[b]
        if price:
            for k, v in enumerate(row):
                if v:
                    reduced[k] -= price * v
    while True:
        entering = next((c for c in range(columns) if reduced[c] < 0), None)
        if entering is None:
            return True
        leaving, best = None, None
        for i, row in enumerate(tableau):
            if row[entering] > 0:
                ratio = Fraction(row[-1]) / row[entering]
                if leaving is None or best is None or ratio < best or (ratio == best and basis[i] < basis[leaving]):
                    leaving, best = i, ratio
        if leaving is None:
            return False
        _pivot(tableau, basis, leaving, entering, reduced)


def _pivot(tableau: list[list[Exact]], basis: list[int], r: int, c: int, reduced: list[Exact] | None = None) -> None:
    pivot = tableau[r][c]
    if pivot == -1:
        tableau[r] = [-v for v in tableau[r]]
    elif pivot != 1:
        tableau[r] = [Fraction(v) / pivot if v else v for v in tableau[r]]
    nonzero = [(k, p) for k, p in enumerate(tableau[r]) if p]
    for i, row in enumerate(tableau):
        if i != r and row[c]:
            factor = row[c]
            for k, p in nonzero:
                row[k] -= factor * p
    if reduced is not None and reduced[c]:
        factor = reduced[c]
        for k, p in nonzero:
            reduced[k] -= factor * p
    basis[r] = c
