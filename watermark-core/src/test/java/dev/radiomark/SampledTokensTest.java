package dev.radiomark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.radiomark.key.WatermarkKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins the tokens the samplers draw for fixed rows, contexts and random streams: the file
 * {@code sampled-tokens-v1.txt} was written by the sampler as it was before the sampling step was
 * optimised (full sort of the nucleus by quickselect); every later version must draw the same
 * tokens. Rows: the benchmark's distribution (Gaussian bulk plus spikes), rows with many tied
 * logits, rows with -Infinity entries, flat rows and peaked rows; every scheme and window rule
 * that changes the sampling path; top-p 0.5 to 1, top-k on and off; full rows, candidates and
 * buffer rows. Regenerate only for a deliberate change of the sampled law:
 * {@code -Dsampled.tokens.write=/path/to/file}.
 */
class SampledTokensTest {
  static final String RESOURCE = "/sampled-tokens-v1.txt";

  @Test
  void tokensEqualThePinnedOnes() throws IOException {
    assertPinned(cases(), RESOURCE, "sampled.tokens.write");
  }

  /**
   * {@code got} equals the lines of the resource, line by line; written to the file named by the
   * system property {@code writeProperty} first, when it is set.
   */
  static void assertPinned(List<String> got, String resource, String writeProperty) throws IOException {
    String write = System.getProperty(writeProperty);
    if (write != null) {
      Files.write(Path.of(write), got, StandardCharsets.UTF_8);
    }
    List<String> expected;
    try (InputStream in = SampledTokensTest.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource);
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertEquals(expected.size(), got.size());
    for (int i = 0; i < got.size(); i++) {
      assertEquals(expected.get(i), got.get(i), "case " + i);
    }
  }

  static final String[] SCHEMES = {"plain", "green-h1", "green-h2-minhash", "green-h4-self",
      "gumbel-h4", "tournament-h4"};
  static final SamplingConfig[] CONFIGS = {
      SamplingConfig.defaults().withTemperature(0.8).withTopP(0.95),
      SamplingConfig.defaults().withTopP(0.5),
      SamplingConfig.defaults().withTemperature(1.3).withTopP(0.999),
      SamplingConfig.defaults().withTemperature(0.7),
      SamplingConfig.defaults().withTemperature(0.9).withTopK(40).withTopP(0.9),
      SamplingConfig.defaults().withTemperature(0.8).withTopP(0.95).withMargin(12),
  };

  static Watermarker watermarker(String scheme, int vocab) {
    WatermarkKey key = TestSupport.key(7);
    switch (scheme) {
      case "green-h1":
        return Watermarker.of(key, TestSupport.spec(Scheme.GREEN_LIST, vocab, 1, WindowRule.ORDERED));
      case "green-h2-minhash":
        return Watermarker.of(key, TestSupport.spec(Scheme.GREEN_LIST, vocab, 2, WindowRule.MIN_HASH));
      case "green-h4-self":
        return Watermarker.of(key, TestSupport.spec(Scheme.GREEN_LIST, vocab, 4, WindowRule.SELF_SEEDING));
      case "gumbel-h4":
        return Watermarker.of(key, TestSupport.spec(Scheme.GUMBEL, vocab, 4, WindowRule.ORDERED));
      case "tournament-h4":
        return Watermarker.of(key, TestSupport.spec(Scheme.TOURNAMENT, vocab, 4, WindowRule.ORDERED));
      default:
        return null;
    }
  }

  /** One line per (vocabulary, scheme, config, mode): the tokens drawn for 40 rows. */
  static List<String> cases() {
    List<String> out = new ArrayList<>();
    for (int vocab : new int[] {3_000, 32_000}) {
      float[][] rows = rows(vocab, 40, new SplittableRandom(vocab));
      int[] stream = new int[4_096];
      SplittableRandom r = new SplittableRandom(99);
      for (int i = 0; i < stream.length; i++) {
        stream[i] = r.nextInt(vocab);
      }
      for (String scheme : SCHEMES) {
        Watermarker wm = watermarker(scheme, vocab);
        for (int c = 0; c < CONFIGS.length; c++) {
          Sampler s = wm == null ? Sampler.plain(vocab, CONFIGS[c]) : wm.sampler(CONFIGS[c]);
          StringBuilder full = new StringBuilder(vocab + " " + scheme + " " + c + " full:");
          StringBuilder cand = new StringBuilder(vocab + " " + scheme + " " + c + " candidates:");
          DecodeState st = s.newState(TestSupport.rng(1_000 + c));
          DecodeState stc = s.newState(TestSupport.rng(2_000 + c));
          int[] ids = new int[300];
          float[] vals = new float[300];
          for (int i = 0; i < rows.length; i++) {
            // Contexts shorter than h (unmarked) at the start, repeated windows now and then.
            int len = i < 3 ? i : 8 + (i % 7 == 0 ? 0 : i * 37);
            full.append(' ').append(s.sample(rows[i], stream, len, st));
            int k = 1 + (i * 53) % 300;
            for (int j = 0; j < k; j++) {
              ids[j] = (i * 7919 + j * 104_729) % vocab;
              vals[j] = rows[i][ids[j]];
            }
            cand.append(' ').append(s.sampleCandidates(ids, vals, k, stream, len, stc));
          }
          out.add(full.toString());
          out.add(cand.toString());
        }
      }
    }
    return out;
  }

  /** Rows of several shapes, fixed by the seed. */
  static float[][] rows(int vocab, int n, SplittableRandom r) {
    float[][] rows = new float[n][vocab];
    for (int i = 0; i < n; i++) {
      float[] row = rows[i];
      int shape = i % 5;
      for (int v = 0; v < vocab; v++) {
        double x = 2.5 * r.nextGaussian();
        switch (shape) {
          case 1: // many ties
            x = Math.rint(x * 2) / 2;
            break;
          case 2: // half the vocabulary masked
            x = r.nextBoolean() ? Double.NEGATIVE_INFINITY : x;
            break;
          case 3: // flat: every token tied
            x = 0.25;
            break;
          case 4: // peaked: few candidates within the margin
            x = 20 * x;
            break;
          default:
            break;
        }
        row[v] = (float) x;
      }
      if (shape != 3) {
        for (int s = 0; s < 8; s++) {
          row[r.nextInt(vocab)] = (float) (8 + 7 * r.nextDouble());
        }
      }
    }
    return rows;
  }
}
