package dev.radiomark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pins the tokens drawn from top-k sized candidate sets (k up to 64, mostly 50, in random order,
 * the way a serving engine hands them over), the path that builds the nucleus one maximum at a
 * time: the file {@code candidate-tokens-v1.txt} was written by the sampler as it was before
 * that path existed (a full sort of the candidates), with every scheme and window rule of
 * {@link SampledTokensTest} and its sampling configurations. Regenerate only for a deliberate
 * change of the sampled law: {@code -Dcandidate.tokens.write=/path/to/file}.
 */
class CandidateTokensTest {
  static final String RESOURCE = "/candidate-tokens-v1.txt";

  @Test
  void tokensEqualThePinnedOnes() throws IOException {
    SampledTokensTest.assertPinned(cases(), RESOURCE, "candidate.tokens.write");
  }

  /** One line per (scheme, config): the tokens drawn for 300 candidate sets. */
  static List<String> cases() {
    int vocab = 32_000;
    float[][] rows = SampledTokensTest.rows(vocab, 20, new SplittableRandom(5));
    int[] stream = new int[4_096];
    SplittableRandom r = new SplittableRandom(98);
    for (int i = 0; i < stream.length; i++) {
      stream[i] = r.nextInt(vocab);
    }
    List<String> out = new ArrayList<>();
    for (String scheme : SampledTokensTest.SCHEMES) {
      Watermarker wm = SampledTokensTest.watermarker(scheme, vocab);
      for (int c = 0; c < SampledTokensTest.CONFIGS.length; c++) {
        SamplingConfig config = SampledTokensTest.CONFIGS[c];
        Sampler s = wm == null ? Sampler.plain(vocab, config) : wm.sampler(config);
        StringBuilder line = new StringBuilder(scheme + " " + c + ":");
        DecodeState st = s.newState(TestSupport.rng(3_000 + c));
        SplittableRandom pick = new SplittableRandom(17L * c + scheme.hashCode());
        int[] ids = new int[64];
        float[] vals = new float[64];
        for (int i = 0; i < 300; i++) {
          float[] row = rows[i % rows.length];
          int k = i % 3 == 0 ? 1 + pick.nextInt(64) : 50;
          // k distinct ids: a random start and a stride coprime to the vocabulary.
          int start = pick.nextInt(vocab);
          int stride = 1 + 2 * pick.nextInt(1_000);
          while (stride % 5 == 0) {
            stride += 2;
          }
          for (int j = 0; j < k; j++) {
            ids[j] = (int) ((start + (long) j * stride) % vocab);
            vals[j] = row[ids[j]];
          }
          if (vals[0] == Float.NEGATIVE_INFINITY) { // rows with -Infinity: keep one finite
            vals[0] = 0f;
          }
          // Contexts shorter than h (unmarked) at the start, repeated windows now and then.
          int len = i < 3 ? i : 8 + (i % 11 == 0 ? 0 : i * 13);
          line.append(' ').append(s.sampleCandidates(ids, vals, k, stream, len, st));
        }
        out.add(line.toString());
      }
    }
    return out;
  }
}
