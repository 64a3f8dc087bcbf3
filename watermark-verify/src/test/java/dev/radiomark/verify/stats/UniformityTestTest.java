package dev.radiomark.verify.stats;

import static dev.radiomark.verify.stats.TailsTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class UniformityTestTest {

    @Test
    void statisticByHand() {
        // D = max(1/3 - 0.1, 0.9 - 2/3) = 0.2333...
        final TestResult r = UniformityTest.kolmogorovSmirnov(new double[] {0.9, 0.1, 0.5});
        assertEquals(0.7 / 3, r.statistic(), 1e-15);
        assertTrue(r.log10P() < 0 && r.log10P() > -1);
    }

    /**
     * Seed 7, n = 1000, alpha = 0.01: uniform p-values are accepted (false-failure rate 1% over
     * seeds) and p^2 (too many small p-values, an anti-conservative detector) is rejected.
     */
    @Test
    void acceptsUniformRejectsMiscalibrated() {
        final UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(7L);
        final double[] uniform = new double[1000];
        final double[] squared = new double[1000];
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = rng.nextDouble();
            squared[i] = uniform[i] * uniform[i];
        }
        assertFalse(UniformityTest.kolmogorovSmirnov(uniform).reject(0.01));
        final TestResult bad = UniformityTest.kolmogorovSmirnov(squared);
        assertTrue(bad.reject(0.01));
        assertTrue(bad.log10P() < -20, "log10P " + bad.log10P());
    }

    @Test
    void extremeSampleGivesFiniteConservativeP() {
        final double[] zeros = new double[5000];
        final TestResult r = UniformityTest.kolmogorovSmirnov(zeros);
        assertEquals(1.0, r.statistic());
        assertTrue(Double.isFinite(r.log10P()) && r.log10P() < -300, "log10P " + r.log10P());
    }

    @Test
    void rejectsInvalidInput() {
        assertMessage("values.length is not in [1, inf): 0",
            () -> UniformityTest.kolmogorovSmirnov(new double[0]));
        assertMessage("values[1] is not in [0, 1]: 1.5",
            () -> UniformityTest.kolmogorovSmirnov(new double[] {0.5, 1.5}));
    }
}
