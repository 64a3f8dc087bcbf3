package dev.radiomark.benchmarks;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.SegmentResult;
import dev.radiomark.verify.SegmentSearch;
import dev.radiomark.verify.TokenVariants;
import dev.radiomark.verify.text.Canonicalizer;
import dev.radiomark.verify.text.TextTokenizer;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of robust detection, one thread, microseconds per record.
 *
 * <ul>
 *   <li>{@code segmentsDyadic} / {@code segmentsScan}: the segment search of one pre-tokenized
 *       text of 2,100 tokens (green list h = 1), the dyadic grid (baseline) and the scan
 *       statistic.
 *   <li>{@code wholeAsGiven} / {@code wholeCanonical}: tokenizing and scoring one 200-word
 *       upper-cased text with symbols (o200k), as given (baseline), and with its canonical
 *       variants (here 4 distinct ones).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RobustDetectionBenchmark {
  private static final int[] NO_PROMPT = new int[0];

  /** Detector, tokens and text. */
  @State(Scope.Thread)
  public static class Input {
    Detector detector;
    int[] tokens;
    String text;
    TextTokenizer tok;
    SegmentSearch dyadic = SegmentSearch.withMinLength(16);
    SegmentSearch scan = SegmentSearch.scan(32);

    /** Builds the inputs. */
    @Setup(Level.Trial)
    public void setUp() {
      WatermarkSpec spec = WatermarkSpec.greenList("o200k_base", 200_019).withContextWidth(1);
      detector = Detector.of(Watermarker.of(WatermarkKey.generate("bench"), spec));
      SplittableRandom rnd = new SplittableRandom(0x5eed_0011L);
      tokens = new int[2100];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = rnd.nextInt(50_000);
      }
      tok = TextTokenizer.o200k();
      String[] words = {"the", "lord", "said", "unto", "moses", "and", "people", "went", "out", "of", "land"};
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        b.append(i % 9 == 8 ? " * " : " ").append(words[rnd.nextInt(words.length)]);
      }
      text = b.toString().toUpperCase(Locale.ROOT);
    }
  }

  /** Baseline: the dyadic grid. */
  @Benchmark
  public SegmentResult segmentsDyadic(Input in) {
    return in.dyadic.search(in.detector, NO_PROMPT, in.tokens);
  }

  /** The scan statistic. */
  @Benchmark
  public SegmentResult segmentsScan(Input in) {
    return in.scan.search(in.detector, NO_PROMPT, in.tokens);
  }

  /** Baseline: tokenize and score the text as given. */
  @Benchmark
  public void wholeAsGiven(Input in, Blackhole bh) {
    bh.consume(in.detector.detect(NO_PROMPT, in.tok.encode(in.text)));
  }

  /** Canonical variants: tokenize each, score each, correct. */
  @Benchmark
  public void wholeCanonical(Input in, Blackhole bh) {
    bh.consume(TokenVariants.of(Canonicalizer.defaults(), in.tok, null, in.text).detect(in.detector));
  }
}
