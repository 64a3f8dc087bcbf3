package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Scheme;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One contract over every scheme: text generated with the core sampler under a key is detected
 * with a tiny p-value; text from the same law without the watermark is not, under that key or a
 * fresh one.
 *
 * <p>False-failure rate: the unwatermarked texts must have p above 1e-5; over the 24 cases and
 * two keys each that fails a calibrated detector with probability below 48 x 1e-5 = 5e-4.
 */
class SchemeDetectionTest {
  private static final int LENGTH = 300;

  static List<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Scheme s : Scheme.values()) {
      for (int v : new int[] {1000, 50_000}) {
        for (int h : new int[] {1, 4}) {
          out.add(Arguments.of(s, v, h, false));
          out.add(Arguments.of(s, v, h, true));
        }
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} V={1} h={2} zipf={3}")
  @MethodSource("cases")
  void watermarkedTextIsDetectedAndPlainTextIsNot(Scheme scheme, int v, int h, boolean zipf) {
    WatermarkSpec spec = WatermarkSpec.defaults(scheme, "test", v).withContextWidth(h);
    UniformRandomProvider rng = TestSupport.rng(61L * v + 7L * h + (zipf ? 1 : 0) + 1000L * scheme.ordinal());
    Watermarker wm = Watermarker.of(TestSupport.key("owner", rng), spec);
    Watermarker fresh = Watermarker.of(TestSupport.key("fresh", rng), spec);
    // Over V = 50000 the law is restricted to 2000 ids: every candidate costs the tournament
    // m = 30 layers per step, and the whole row would take seconds per case.
    int support = Math.min(v, 2000);
    float[] logits = zipf ? TestSupport.zipfLogits(v, support) : TestSupport.uniformLogits(v, support);
    int[] marked = TestSupport.watermarked(wm, logits, LENGTH, rng);
    int[] plain = TestSupport.plain(v, logits, LENGTH, rng);

    DetectionResult hit = Detector.of(wm).detect(new int[0], marked);
    DetectionResult nullOwn = Detector.of(wm).detect(new int[0], plain);
    DetectionResult nullFresh = Detector.of(fresh).detect(new int[0], marked);
    String where = String.format(Locale.ROOT, "%s V=%d h=%d zipf=%s", scheme, v, h, zipf);
    System.out.printf(Locale.ROOT, "%s: watermarked log10 p %.1f (n %d, rate %.3f); plain %.2f; fresh key %.2f%n", where,
        hit.log10P(), hit.tokensScored(), hit.rate(), nullOwn.log10P(), nullFresh.log10P());
    assertTrue(hit.tokensScored() >= 5, () -> where + " " + hit);
    // Gumbel at h = 1 is deterministic given the previous token, so the text soon cycles and
    // only a handful of distinct tuples remain (7 for Zipf over 1000 ids): 1e-6 is still tiny.
    assertTrue(hit.log10P() < -6, () -> where + " watermark not detected: " + hit);
    assertTrue(hit.rate() > hit.nullRate(), () -> where + " " + hit);
    assertTrue(nullOwn.log10P() > -5, () -> where + " plain text flagged: " + nullOwn);
    assertTrue(nullFresh.log10P() > -5, () -> where + " watermarked text flagged under another key: " + nullFresh);
  }
}
