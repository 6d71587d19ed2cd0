"""Unit tests of scripts/stats.py against reference values (run by tests/stats.bats)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import stats  # noqa: E402


class MedianInterval(unittest.TestCase):
    def test_ten_runs_use_the_second_and_ninth(self):
        # P(Binomial(10, 1/2) <= 1) = 11/1024: [x(2), x(9)] covers 1 - 22/1024
        interval = stats.median_ci([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])
        self.assertEqual((interval.estimate, interval.low, interval.high), (5.5, 2, 9))
        self.assertAlmostEqual(interval.coverage, 1 - 22 / 1024)
        self.assertEqual(interval.runs, 10)

    def test_twenty_runs(self):
        # n = 20: k = 6 gives 1 - 2 * P(X <= 5) = 0.9586 (R: 1 - 2 * pbinom(5, 20, .5))
        interval = stats.median_ci(range(1, 21))
        self.assertEqual((interval.low, interval.high), (6, 15))
        self.assertAlmostEqual(interval.coverage, 0.9586105, places=6)

    def test_five_runs_cannot_reach_95_percent(self):
        interval = stats.median_ci([3, 1, 2, 5, 4])
        self.assertEqual((interval.low, interval.high), (1, 5))
        self.assertAlmostEqual(interval.coverage, 1 - 2 / 32)

    def test_text(self):
        self.assertEqual(stats.Interval(1.934, 1.9, 1.961).text("x"), "1.93x [1.90, 1.96]")

    def test_no_times(self):
        with self.assertRaises(ValueError):
            stats.median_ci([])


class Ratio(unittest.TestCase):
    def test_ratio_of_medians_with_an_interval_around_it(self):
        base = [2.0, 2.02, 1.98, 2.01, 1.99, 2.0, 2.03, 1.97, 2.0, 2.01]
        row = [1.0, 1.01, 0.99, 1.0, 1.02, 0.98, 1.0, 1.01, 0.99, 1.0]
        interval = stats.ratio_ci(base, row)
        self.assertAlmostEqual(interval.estimate, 2.0)
        self.assertTrue(1.95 < interval.low < 2.0 < interval.high < 2.05, interval)

    def test_reproducible(self):
        base, row = [1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 7]
        self.assertEqual(stats.ratio_ci(base, row), stats.ratio_ci(base, row))

    def test_wide_with_two_noisy_runs(self):
        # py-processes sleep in the old report: 2 runs, 6.34 and 9.10 s
        interval = stats.ratio_ci([6.34, 9.10], [2.0, 2.0])
        self.assertAlmostEqual(interval.low, 3.17)
        self.assertAlmostEqual(interval.high, 4.55)


class Compare(unittest.TestCase):
    def test_separated_samples(self):
        # exact two-sided Mann-Whitney U, no overlap, 5 + 5: p = 2 / C(10, 5) = 2/252
        result = stats.compare([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        self.assertAlmostEqual(result.p_value, 2 / 252)
        self.assertEqual(result.faster, "a")
        self.assertEqual(stats.compare([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).faster, "b")

    def test_interleaved_samples_tie(self):
        # primes fork 0.1414 s against pthread 0.1416 s: the old "fastest"
        fork = [0.1410, 0.1414, 0.1418, 0.1412, 0.1416, 0.1409, 0.1415, 0.1420, 0.1413, 0.1417]
        pthread = [0.1411, 0.1416, 0.1419, 0.1413, 0.1415, 0.1410, 0.1418, 0.1421, 0.1414, 0.1412]
        result = stats.compare(fork, pthread)
        self.assertGreater(result.p_value, 0.05)
        self.assertEqual(result.faster, "")

    def test_too_few_runs_is_untested_not_tied(self):
        # 3 + 3 runs: even no overlap gives p = 2/20 = 0.1, so no test can separate them
        self.assertAlmostEqual(stats.smallest_p(3, 3), 0.1)
        result = stats.compare([1, 2, 3], [10, 11, 12])
        self.assertFalse(result.tested)
        self.assertEqual(result.faster, "")
        self.assertTrue(stats.compare([1, 2, 3, 4, 5], [10, 11, 12, 13, 14]).tested)

    def test_identical(self):
        self.assertEqual(stats.compare([1, 1, 1], [1, 1, 1]).faster, "")


class Verdict(unittest.TestCase):
    def test_three_verdicts(self):
        self.assertEqual(stats.verdict(stats.Interval(1.93, 1.90, 1.96), 1.5), "holds")
        self.assertEqual(stats.verdict(stats.Interval(1.2, 1.1, 1.3), 1.5), "does not hold")
        self.assertEqual(stats.verdict(stats.Interval(1.5, 1.4, 1.6), 1.5), "inconclusive")
        self.assertEqual(stats.verdict(stats.Interval(1.0, 0.9, 1.1), 1.15, "at most"), "holds")
        self.assertEqual(stats.verdict(stats.Interval(1.14, 1.0, 1.3), 1.15, "at most"), "inconclusive")
        self.assertEqual(stats.verdict(stats.Interval(1.3, 1.2, 1.4), 1.15, "at most"), "does not hold")

    def test_too_few_runs_are_not_called(self):
        # the old report's py-processes sleep: 2 runs, 6.34 and 9.10 s
        interval = stats.median_ci([6.34, 9.10])
        self.assertEqual(stats.verdict(interval, 5), "inconclusive (too few runs)")
        self.assertEqual(stats.verdict(stats.median_ci([6, 6.1, 6.2, 6.3, 6.4]), 5), "holds")

    def test_disturbed_is_never_called(self):
        self.assertEqual(stats.verdict(stats.Interval(1.93, 1.90, 1.96), 1.5, disturbed=True),
                         "inconclusive (machine disturbed)")


class Binomial(unittest.TestCase):
    def test_clopper_pearson(self):
        # R: binom.test(5, 20)$conf.int = 0.08657147 0.49104587
        interval = stats.binomial_ci(5, 20)
        self.assertAlmostEqual(interval.estimate, 0.25)
        self.assertAlmostEqual(interval.low, 0.08657147, places=6)
        self.assertAlmostEqual(interval.high, 0.49104587, places=6)


class Variation(unittest.TestCase):
    def test_cv(self):
        self.assertAlmostEqual(stats.cv([1, 2, 3]), 0.5)
        self.assertEqual(stats.cv([4]), 0.0)


if __name__ == "__main__":
    unittest.main()
