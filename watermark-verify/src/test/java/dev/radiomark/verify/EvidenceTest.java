package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The verdict rule, one test per branch. Reference counts: exact rational binomial tails
 * (Python 3.11 fractions and math.comb) and the Gamma(n, 1) tail Q(n, 2n) = e^-2n sum_{k<n} (2n)^k / k!
 * summed in double precision.
 */
class EvidenceTest {
  private static final double ALPHA = 1e-6;
  private static final NullModel GREEN = NullModel.of(TestSupport.greenO200k()); // gamma 0.25, delta 2

  @Test
  void allGreenFiveTupleTextIsInconclusiveNotNotFlagged() {
    // The most extreme 5-tuple text: p = 0.25^5 ~ 1e-3, which can never reach 1e-6.
    Watermarker wm = Watermarker.of(TestSupport.key("five", TestSupport.rng(81)), TestSupport.greenO200k());
    Detector d = Detector.of(wm);
    // A 6-token text whose 5 scored tuples are all green, built greedily.
    int[] text = new int[6];
    text[0] = 1;
    for (int i = 1; i < text.length; i++) {
      for (int t = 2; ; t++) {
        text[i] = t;
        if (d.detect(new int[0], Arrays.copyOf(text, i + 1)).score() == i) {
          break;
        }
      }
    }
    DetectionResult r = d.detect(new int[0], text);
    assertEquals(5, r.tokensScored());
    assertEquals(5.0, r.score(), "all green");
    assertEquals(5 * Math.log10(0.25), r.log10P(), 1e-9);
    assertEquals(Verdict.INCONCLUSIVE, Evidence.verdict(d.nullModel(), r.tokensScored(), r.log10P(), ALPHA));
  }

  @Test
  void nothingScoredOrUndefinedIsInconclusive() {
    Evidence e = Evidence.of(GREEN, ALPHA);
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(0, 0.0));
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(1000, Double.NaN));
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(0, Double.NaN));
  }

  @Test
  void flaggedWinsEvenBelowTheMinimumEvidence() {
    Evidence e = Evidence.of(GREEN, ALPHA);
    // 10 green tuples of 10: 0.25^10 = 9.5e-7 <= 1e-6, with fewer tuples than the 27 of the rule.
    assertTrue(e.minTuples() > 10);
    assertEquals(Verdict.FLAGGED, e.verdict(10, GREEN.log10P(10, 10)));
    assertEquals(Verdict.FLAGGED, e.verdict(1_000_000, Math.log10(ALPHA)), "p == alpha is flagged");
  }

  @Test
  void tooFewTuplesForEvenAPerfectTextIsInconclusive() {
    Evidence e = Evidence.of(GREEN, ALPHA);
    assertEquals(10, e.extremeTuples()); // 0.25^9 = 3.8e-6 > 1e-6 >= 0.25^10
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(9, GREEN.log10P(9, 9)));
    // Tournament, m = 30: 2^-30 per tuple, so a single tuple can reach 1e-6.
    NullModel t = NullModel.of(WatermarkSpec.tournament("test", 1000));
    assertEquals(1, Evidence.of(t, ALPHA).extremeTuples());
    assertEquals(1, Evidence.of(NullModel.of(WatermarkSpec.gumbel("test", 1000)), ALPHA).extremeTuples(),
        "Gumbel scores are unbounded");
  }

  @Test
  void minimumEvidenceRuleMakesShortUnflaggedTextsInconclusive() {
    Evidence e = Evidence.of(GREEN, ALPHA);
    // Expected green rate at gamma 0.25, delta 2: 0.7112; exact binomial tail first <= 1e-6 at n = 27.
    assertEquals(0.25 * Math.exp(2) / (1 + 0.25 * (Math.exp(2) - 1)), GREEN.watermarkedMeanPerTuple(), 1e-15);
    assertEquals(27, e.minTuples());
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(26, GREEN.log10P(26, 8)));
    assertEquals(Verdict.NOT_FLAGGED, e.verdict(27, GREEN.log10P(27, 8)));
    assertEquals(Verdict.NOT_FLAGGED, e.verdict(100_000, -5.9));
    // Gumbel at mean 2: Q(36, 72) = 1.005e-6, Q(37, 74) = 7.3e-7.
    assertEquals(37, Evidence.of(NullModel.of(WatermarkSpec.gumbel("test", 1000)), ALPHA).minTuples());
    // Tournament, m = 30, |V| = 1000, mean g 0.74975: 4 tuples (120 g-values).
    assertEquals(4, Evidence.of(NullModel.of(WatermarkSpec.tournament("test", 1000)), ALPHA).minTuples());
  }

  @Test
  void minimumIsTheSmallestCountThatReachesTheLevel() {
    for (Scheme s : Scheme.values()) {
      for (double alpha : new double[] {0.05, 1e-6, 1e-40, 1e-300}) {
        NullModel nul = NullModel.of(WatermarkSpec.defaults(s, "test", 50_000));
        Evidence e = Evidence.of(nul, alpha, 3);
        long n = e.minTuples();
        double level = Math.log10(alpha / 3);
        double mean = nul.watermarkedMeanPerTuple();
        assertTrue(nul.log10P(n, n * mean) <= level, s + " " + alpha);
        assertFalse(n > 1 && nul.log10P(n - 1, (n - 1) * mean) <= level, s + " " + alpha);
      }
    }
  }

  @Test
  void familySizeRaisesTheCounts() {
    // Holm's first step is alpha / F: 0.25^10 = 9.5e-7 > 5e-7, 0.25^11 = 2.4e-7.
    assertEquals(11, Evidence.of(GREEN, ALPHA, 2).extremeTuples());
    assertEquals(28, Evidence.of(GREEN, ALPHA, 2).minTuples());
  }

  @Test
  void aWatermarkThatCannotBeSeenNeverGivesNotFlagged() {
    NullModel zero = NullModel.of(TestSupport.greenO200k().withDelta(0));
    Evidence e = Evidence.of(zero, ALPHA);
    assertEquals(Long.MAX_VALUE, e.minTuples());
    assertEquals(Verdict.INCONCLUSIVE, e.verdict(10_000_000, -1));
    assertEquals(Verdict.FLAGGED, e.verdict(10_000_000, -7));
  }

  @Test
  void familyVerdicts() {
    assertEquals(Verdict.FLAGGED, Evidence.combine(List.of(Verdict.INCONCLUSIVE, Verdict.FLAGGED)));
    assertEquals(Verdict.INCONCLUSIVE, Evidence.combine(List.of(Verdict.NOT_FLAGGED, Verdict.INCONCLUSIVE)));
    assertEquals(Verdict.NOT_FLAGGED, Evidence.combine(List.of(Verdict.NOT_FLAGGED, Verdict.NOT_FLAGGED)));
    assertEquals(Verdict.INCONCLUSIVE, Evidence.combine(List.of()));
  }

  @Test
  void rejectsBadArgumentsNamingTheValueAndRange() {
    IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> Evidence.of(GREEN, 1.5));
    assertEquals("alpha is not in (0, 1): 1.5", a.getMessage());
    IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> Evidence.of(GREEN, 0.01, 0));
    assertEquals("family is not in [1, 2147483647]: 0", f.getMessage());
  }
}
