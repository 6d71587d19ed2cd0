"""stats.py - the statistics behind every figure and verdict of the report (issue 12).

Kept libraries, not hand-written formulas: scipy.stats for the tests and the
binomial interval, numpy for the bootstrap. Every function takes plain lists
of run times (seconds) and is deterministic (the bootstrap is seeded), so that
the same results folder always gives the same report.

  median_ci(times)            the median with a 95 % distribution-free interval
  ratio_ci(base, row)         median(base) / median(row) with a 95 % bootstrap interval
  compare(a, b)               Mann-Whitney U: is one sample faster than the other?
  verdict(interval, ...)      "holds" / "does not hold" / "inconclusive" against a threshold
  binomial_ci(k, n)           a proportion with its Clopper-Pearson 95 % interval
  cv(times)                   coefficient of variation (sample stddev / mean)
"""
import math
from dataclasses import dataclass

import numpy
from scipy import stats as scipy_stats

LEVEL = 0.95
RESAMPLES = 4000
SEED = 12           # issue 12: any fixed seed, so that reports are reproducible
ALPHA = 0.05        # a difference is "shown" when the two-sided p-value is below this
MIN_RUNS = 5        # a verdict rests on at least this many runs of each row


@dataclass
class Interval:
    """An estimate with its interval [low, high] and the interval's coverage."""
    estimate: float
    low: float
    high: float
    coverage: float = LEVEL
    runs: int = 0

    def contains(self, value):
        return self.low <= value <= self.high

    def text(self, unit="", digits=2):
        """'1.93x [1.90, 1.96]' (unit 'x'), or '0.142 s [0.140, 0.143]' (unit ' s')."""
        form = f"{{:.{digits}f}}"
        return f"{form.format(self.estimate)}{unit} [{form.format(self.low)}, {form.format(self.high)}]"

    def scaled(self, factor):
        """The same interval, every figure times factor (> 0)."""
        return Interval(self.estimate * factor, self.low * factor, self.high * factor,
                        self.coverage, self.runs)


def _clean(times):
    values = [float(t) for t in times if t is not None and math.isfinite(float(t))]
    if not values:
        raise ValueError("no run times")
    return sorted(values)


def median_ci(times, level=LEVEL):
    """The median and a distribution-free interval from order statistics.

    The interval [x(k), x(n+1-k)] covers the true median with probability
    1 - 2 * P(Binomial(n, 1/2) < k); k is the largest rank that keeps the
    coverage at least `level`. With fewer than 6 runs no such k exists: the
    interval is then min..max and its coverage (below `level`) is recorded."""
    values = _clean(times)
    n = len(values)
    median = float(numpy.median(values))
    best = 1
    for k in range(1, n // 2 + 1):
        coverage = 1 - 2 * scipy_stats.binom.cdf(k - 1, n, 0.5)
        if coverage >= level:
            best = k
        else:
            break
    coverage = 1 - 2 * scipy_stats.binom.cdf(best - 1, n, 0.5) if n > 1 else 0.0
    return Interval(median, values[best - 1], values[n - best], float(coverage), n)


def ratio_ci(base, row, level=LEVEL):
    """median(base) / median(row) (a speedup when base is the serial baseline),
    with a percentile bootstrap interval: both samples resampled independently."""
    a, b = numpy.array(_clean(base)), numpy.array(_clean(row))
    estimate = float(numpy.median(a) / numpy.median(b))
    if len(a) < 2 or len(b) < 2:
        return Interval(estimate, estimate, estimate, 0.0, min(len(a), len(b)))
    generator = numpy.random.default_rng(SEED)
    ratios = (numpy.median(generator.choice(a, (RESAMPLES, len(a))), axis=1)
              / numpy.median(generator.choice(b, (RESAMPLES, len(b))), axis=1))
    tail = (1 - level) / 2 * 100
    low, high = numpy.percentile(ratios, [tail, 100 - tail])
    return Interval(estimate, float(low), float(high), level, min(len(a), len(b)))


@dataclass
class Comparison:
    p_value: float
    faster: str      # "a", "b" or "" (no difference shown)
    test: str = "Mann-Whitney U"

    @property
    def tested(self):
        return not self.test.startswith("too few")

    def text(self):
        return f"{self.test} p = {self.p_value:.2g}" if self.tested else self.test


def smallest_p(n, m):
    """The smallest two-sided Mann-Whitney p-value samples of n and m runs can
    give (no overlap at all): 2 / C(n + m, n)."""
    return min(1.0, 2 / math.comb(n + m, n))


def compare(a, b, alpha=ALPHA):
    """Two-sided Mann-Whitney U test on two samples of run times. faster is
    the sample with the lower median when p < alpha, else "" (a tie). With
    too few runs for any p below alpha (3 + 3: 0.1), test says so: such a
    pair is untested, not tied."""
    a, b = _clean(a), _clean(b)
    if len(a) < 2 or len(b) < 2 or smallest_p(len(a), len(b)) >= alpha:
        return Comparison(1.0, "", f"too few runs for a test ({len(a)} and {len(b)})")
    if a == b:
        return Comparison(1.0, "")
    p_value = float(scipy_stats.mannwhitneyu(a, b, alternative="two-sided").pvalue)
    faster = ""
    if p_value < alpha:
        faster = "a" if numpy.median(a) < numpy.median(b) else "b"
    return Comparison(p_value, faster)


def verdict(interval, threshold, direction="at least", disturbed=False):
    """Does the quantity meet the rule "direction threshold"?

    "holds" when the whole interval is on the rule's side, "does not hold"
    when the whole interval is on the other side, "inconclusive" when it
    straddles the threshold; on a disturbed machine never more than
    "inconclusive (machine disturbed)", and "inconclusive (too few runs)"
    from an interval of fewer than MIN_RUNS runs (runs 0: a figure without
    run times, from an older results folder, judged as a point)."""
    if disturbed:
        return "inconclusive (machine disturbed)"
    if 0 < interval.runs < MIN_RUNS:
        return "inconclusive (too few runs)"
    if direction == "at least":
        if interval.low >= threshold:
            return "holds"
        if interval.high < threshold:
            return "does not hold"
    elif direction == "at most":
        if interval.high <= threshold:
            return "holds"
        if interval.low > threshold:
            return "does not hold"
    else:
        raise ValueError(f"direction: {direction}")
    return "inconclusive"


def binomial_ci(successes, trials, level=LEVEL):
    """The proportion successes / trials with its Clopper-Pearson interval."""
    if trials <= 0:
        raise ValueError("no trials")
    result = scipy_stats.binomtest(int(successes), int(trials))
    interval = result.proportion_ci(confidence_level=level, method="exact")
    return Interval(successes / trials, float(interval.low), float(interval.high), level, trials)


def cv(times):
    """Sample standard deviation over mean; 0 for a single run."""
    values = _clean(times)
    if len(values) < 2:
        return 0.0
    mean = float(numpy.mean(values))
    return float(numpy.std(values, ddof=1)) / mean if mean > 0 else 0.0
