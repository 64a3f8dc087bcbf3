package dev.radiomark.verify.stats;

import static dev.radiomark.verify.stats.TailsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BinomialIntervalTest {

    @Test
    void matchesRBinomTest() {
        // scipy 1.17.1: binomtest(x, n).proportion_ci(0.95, "exact")
        final BinomialInterval ci = BinomialInterval.clopperPearson(7, 50, 0.95);
        assertEquals(0.05819170033997344, ci.lower(), 1e-10);
        assertEquals(0.26739600249700846, ci.upper(), 1e-10);
        final BinomialInterval rare = BinomialInterval.clopperPearson(3, 1000, 0.95);
        assertEquals(0.0006190999316499173, rare.lower(), 1e-12);
        assertEquals(0.008742023238657654, rare.upper(), 1e-12);
        // x = 0: upper = 1 - (0.025)^(1/20) = 0.16843347098308548 in closed form.
        final BinomialInterval zero = BinomialInterval.clopperPearson(0, 20, 0.95);
        assertEquals(0.0, zero.lower());
        assertEquals(0.16843347098308548, zero.upper(), 1e-12);
        final BinomialInterval all = BinomialInterval.clopperPearson(20, 20, 0.95);
        assertEquals(0.8315665290169145, all.lower(), 1e-12);
        assertEquals(1.0, all.upper());
        final BinomialInterval none = BinomialInterval.clopperPearson(0, 0, 0.95);
        assertEquals(0.0, none.lower());
        assertEquals(1.0, none.upper());
    }

    @Test
    void endpointsAreTheOneSidedBinomialTests() {
        // P[X >= 7 | lower] = P[X <= 7 | upper] = 0.025 defines the Clopper-Pearson bounds.
        final BinomialInterval ci = BinomialInterval.clopperPearson(7, 50, 0.95);
        assertEquals(Math.log10(0.025), Tails.log10BinomialSurvival(50, 7, ci.lower()), 1e-9);
        assertEquals(Math.log10(0.025), Tails.log10BinomialSurvival(50, 43, 1 - ci.upper()), 1e-9);
        assertTrue(ci.contains(0.14));
        assertFalse(ci.contains(0.3));
    }

    @Test
    void testResult() {
        final TestResult r = new TestResult(3.5, -2.5);
        assertEquals(Math.pow(10, -2.5), r.pValue(), 1e-18);
        assertTrue(r.reject(0.01));
        assertFalse(r.reject(0.001));
        assertTrue(new TestResult(100, -5000).reject(1e-300));
        assertEquals(0.0, new TestResult(100, -5000).pValue());
        assertMessage("alpha is not in (0, 1): 1.5", () -> r.reject(1.5));
        assertMessage("log10P is not in [-inf, 0]: 0.1", () -> new TestResult(1, 0.1));
        assertMessage("statistic is not a number: NaN", () -> new TestResult(Double.NaN, -1));
    }

    @Test
    void rejectsInvalidInput() {
        assertMessage("trials is not in [0, inf): -1", () -> BinomialInterval.clopperPearson(0, -1, 0.9));
        assertMessage("successes is not in [0, trials = 5]: 6",
            () -> BinomialInterval.clopperPearson(6, 5, 0.9));
        assertMessage("confidence is not in (0, 1): 1.0", () -> BinomialInterval.clopperPearson(1, 5, 1));
        assertMessage("upper is not in [lower = 0.5, 1]: 0.25", () -> new BinomialInterval(0.5, 0.25));
    }
}
