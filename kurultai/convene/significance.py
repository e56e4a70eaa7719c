"""Exact tests for "more (or fewer) mentions than before", and the false discovery rate over many.

Mentions of a topic in two periods are compared given the number of events (or documents) in each:
conditional on n = a + b mentions, a is Binomial(n, E1 / (E1 + E2)) when the topic's rate did not
change. The tail is summed exactly in log space (no scipy); Benjamini–Hochberg then keeps the
expected share of false suggestions among the suggested at q.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


def _log_pmf(k: int, n: int, p: float) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)


def binom_sf(a: int, n: int, p: float) -> float:
    """P(X >= a) for X ~ Binomial(n, p)."""
    if a <= 0:
        return 1.0
    if a > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    terms = [_log_pmf(k, n, p) for k in range(a, n + 1)]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def binom_cdf(a: int, n: int, p: float) -> float:
    """P(X <= a) for X ~ Binomial(n, p)."""
    if a >= n:
        return 1.0
    if a < 0:
        return 0.0
    return binom_sf(n - a, n, 1.0 - p)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Mentions `now` among `total_now` events against `before` among `total_before`."""

    now: int
    before: int
    total_now: int
    total_before: int
    p_value: float  # one-sided, in the direction asked for

    @property
    def rate_now(self) -> float:
        return self.now / self.total_now if self.total_now else 0.0

    @property
    def rate_before(self) -> float:
        return self.before / self.total_before if self.total_before else 0.0

    @property
    def rate_ratio(self) -> float | None:
        """How many times the share of events changed; None where it was zero before."""
        return round(self.rate_now / self.rate_before, 3) if self.rate_before else None


def compare(now: int, before: int, total_now: int, total_before: int, direction: str = "up") -> Comparison:
    """The exact conditional test: 'up' asks whether the rate rose, 'down' whether it fell."""
    n = now + before
    if not total_now or not total_before or n == 0:
        return Comparison(now, before, total_now, total_before, 1.0)
    p0 = total_now / (total_now + total_before)
    p = binom_sf(now, n, p0) if direction == "up" else binom_cdf(now, n, p0)
    return Comparison(now, before, total_now, total_before, p)


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Adjusted p-values (q-values), in the order given: reject where q <= the chosen rate."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    out = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        out[i] = min(1.0, running)
    return out
