package dev.radiomark.benchmarks;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.onnx.OnnxCausalLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Decode throughput of an ONNX causal LM with and without the watermark: one invocation is one
 * response that fills the model's context (a one-token prompt, {@link #NEW_TOKENS} new tokens),
 * the decode loop of {@code examples/.../serving/OnnxServingLoop#generate} (one
 * {@link OnnxCausalLm.Decoder} per response, fed one token a step, the cache when the model has
 * one; a {@link Sampler} picks each token from the row of logits). Scores are tokens per second
 * ({@link OperationsPerInvocation}). {@code plain} is {@link Sampler#plain}; {@code green-h1}
 * the green-list sampler of {@link WatermarkSpec#greenList} (gamma 0.25, delta 2, h = 1), both at
 * temperature 1 ({@link SamplingConfig#defaults()}), ONNX Runtime on one thread.
 *
 * <p>The models are the test fixtures of watermark-verify, found under {@link #dir} (run from the
 * repository root, or pass {@code -p dir=...}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OnnxDecodeBenchmark {
  /** New tokens per response: the test models' context of 64 less the one-token prompt. */
  static final int NEW_TOKENS = 63;

  /** The directory of the models. */
  @Param("watermark-verify/src/test/resources/onnx")
  public String dir;

  /** {@code tiny-gpt-kv.onnx} (key/value cache) or {@code tiny-gpt.onnx} (the whole prefix each step). */
  @Param({"tiny-gpt-kv.onnx", "tiny-gpt.onnx"})
  public String model;

  /** {@code plain} or {@code green-h1}. */
  @Param({"plain", "green-h1"})
  public String sampler;

  private OnnxCausalLm lm;
  private Sampler s;
  private UniformRandomProvider random;
  private float[] logits;
  private int[] tokens;
  private int prompt;

  @Setup(Level.Trial)
  public void setUp() {
    Path path = Path.of(dir, model);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(path.toAbsolutePath() + ": no such model (run from the repository root or pass -p dir=...)");
    }
    lm = OnnxCausalLm.open(path, OnnxCausalLm.Options.defaults().withThreads(1));
    if (lm.maxContext() != NEW_TOKENS + 1) {
      throw new IllegalStateException(path + ": context " + lm.maxContext() + ", not " + (NEW_TOKENS + 1));
    }
    s = switch (sampler) {
      case "plain" -> Sampler.plain(lm.vocabSize(), SamplingConfig.defaults());
      case "green-h1" -> Watermarker.of(WatermarkKey.generate("bench"), WatermarkSpec.greenList("bench", lm.vocabSize()))
          .sampler(SamplingConfig.defaults());
      default -> throw new IllegalArgumentException("sampler: " + sampler);
    };
    random = RandomSource.XO_RO_SHI_RO_128_PP.create(7L);
    logits = new float[lm.vocabSize()];
    tokens = new int[NEW_TOKENS + 1];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    lm.close();
  }

  /**
   * One response.
   *
   * @return its last token
   */
  @Benchmark
  @OperationsPerInvocation(NEW_TOKENS)
  public int response() {
    tokens[0] = 3 + prompt++ % 100; // frequent words of the fixture vocabulary
    DecodeState state = s.newState(random);
    try (OnnxCausalLm.Decoder d = lm.newDecoder()) {
      d.append(tokens, 0, 1, logits);
      for (int len = 1; len < tokens.length; len++) {
        tokens[len] = s.sample(logits, tokens, len, state);
        if (len + 1 < tokens.length) {
          d.append(tokens, len, len + 1, logits);
        }
      }
    }
    return tokens[NEW_TOKENS];
  }
}
