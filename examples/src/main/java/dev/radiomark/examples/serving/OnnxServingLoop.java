package dev.radiomark.examples.serving;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.onnx.OnnxCausalLm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * A decode loop over an ONNX causal LM ({@link OnnxCausalLm}, with its key/value cache when it
 * has one) sampling every token with a {@link Sampler}: the watermarked one in serving, the plain
 * one as the baseline it is measured against. Served windows go to a {@link ServedWindowLedger}.
 *
 * <p>Thread-safe as long as each thread passes its own randomness: the model and sampler are
 * shared, each {@link #generate} call has its own decoder and {@link DecodeState}.
 */
public final class OnnxServingLoop {
  private final OnnxCausalLm model;
  private final Sampler sampler;
  private final Watermarker watermarker;
  private final ServedWindowLedger ledger;

  private OnnxServingLoop(OnnxCausalLm model, Sampler sampler, Watermarker watermarker, ServedWindowLedger ledger) {
    this.model = model;
    this.sampler = sampler;
    this.watermarker = watermarker;
    this.ledger = ledger;
  }

  /**
   * A watermarked loop.
   *
   * @param model the model, of the watermark's vocabulary
   * @param watermarker the tenant's watermarker
   * @param config sampling parameters
   * @param ledger where the served windows are recorded
   * @return the loop
   * @throws IllegalArgumentException if the vocabularies differ
   */
  public static OnnxServingLoop watermarked(OnnxCausalLm model, Watermarker watermarker, SamplingConfig config,
      ServedWindowLedger ledger) {
    model.requireVocabulary(watermarker.spec());
    return new OnnxServingLoop(model, watermarker.sampler(config), watermarker, ledger);
  }

  /**
   * The baseline: the same loop with the plain sampler, nothing recorded.
   *
   * @param model the model
   * @param config sampling parameters
   * @return the loop
   */
  public static OnnxServingLoop plain(OnnxCausalLm model, SamplingConfig config) {
    return new OnnxServingLoop(model, Sampler.plain(model.vocabSize(), config), null, null);
  }

  /**
   * Generates one response.
   *
   * @param prompt prompt tokens, at least one
   * @param maxNewTokens response budget; the prompt plus the response must fit the model's context
   * @param eos end-of-sequence id (the response ends after it), or -1 for none
   * @param random this request's non-keyed randomness
   * @return prompt followed by the response
   */
  public int[] generate(int[] prompt, int maxNewTokens, int eos, UniformRandomProvider random) {
    return generate(prompt, maxNewTokens, eos, random, null);
  }

  /** {@link #generate}, adding the nanoseconds spent in the model and in the sampler to {@code nanos[0, 2)}. */
  private int[] generate(int[] prompt, int maxNewTokens, int eos, UniformRandomProvider random, long[] nanos) {
    int[] tokens = Arrays.copyOf(prompt, prompt.length + maxNewTokens);
    float[] logits = new float[model.vocabSize()];
    DecodeState state = sampler.newState(random);
    int len = prompt.length;
    try (OnnxCausalLm.Decoder decoder = model.newDecoder()) {
      long t0 = System.nanoTime();
      decoder.append(tokens, 0, len, logits);
      while (len < tokens.length) {
        long t1 = System.nanoTime();
        int next = sampler.sample(logits, tokens, len, state);
        long t2 = System.nanoTime();
        if (nanos != null) {
          nanos[0] += t1 - t0;
          nanos[1] += t2 - t1;
        }
        tokens[len++] = next;
        if (next == eos || len == tokens.length) {
          break;
        }
        t0 = System.nanoTime();
        decoder.append(tokens, len - 1, len, logits);
      }
    }
    if (ledger != null) {
      ledger.record(watermarker, tokens, prompt.length, len);
    }
    return Arrays.copyOf(tokens, len);
  }

  /**
   * Measures decode throughput: tokens per second of {@link #generate} (one-token prompt, responses
   * filling the model's context) with the plain and the watermarked sampler (green list, default
   * spec) for each model given. The two samplers alternate in rounds so that a change of machine
   * load hits both; the median round of each is printed, with the ratio of the medians and the
   * median time per token spent in {@link Sampler#sample} alone.
   *
   * @param args {@code model.onnx...}, optionally {@code --rounds R} (default 7) and
   *     {@code --seconds S} per sampler and round (default 2); one warm-up round is not counted
   */
  public static void main(String[] args) {
    double seconds = 2;
    int rounds = 7;
    List<Path> models = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> models.add(Path.of(args[i]));
      }
    }
    System.out.printf(Locale.ROOT, "median of %d rounds of %.1f s per sampler; tokens/s; sampling us/token%n",
        rounds, seconds);
    System.out.printf(Locale.ROOT, "%-18s %14s %14s %9s %12s %12s%n",
        "model", "plain", "green-list", "ratio", "sample plain", "sample green");
    for (Path p : models) {
      try (OnnxCausalLm lm = OnnxCausalLm.open(p, OnnxCausalLm.Options.defaults().withThreads(1))) {
        Watermarker wm = Watermarker.of(WatermarkKey.generate("bench"), WatermarkSpec.greenList("model", lm.vocabSize()));
        OnnxServingLoop[] loops = {plain(lm, SamplingConfig.defaults()),
            watermarked(lm, wm, SamplingConfig.defaults(), ServedWindowLedger.create(wm, 1_000_000, 0.01))};
        int maxNew = lm.maxContext() > 0 ? lm.maxContext() - 1 : 255;
        double[][] rates = new double[2][rounds];
        double[][] sampleMicros = new double[2][rounds];
        for (int round = -1; round < rounds; round++) {
          for (int l = 0; l < loops.length; l++) {
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(7L);
            long tokens = 0;
            long[] nanos = new long[2];
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long now;
            do {
              tokens += loops[l].generate(new int[] {3}, maxNew, -1, rng, nanos).length - 1;
              now = System.nanoTime();
            } while (now < end);
            if (round >= 0) {
              rates[l][round] = tokens / ((now - start) / 1e9);
              sampleMicros[l][round] = 1e6 * nanos[1] / 1e9 / tokens;
            }
          }
        }
        double plainRate = median(rates[0]);
        double markedRate = median(rates[1]);
        System.out.printf(Locale.ROOT, "%-18s %14.1f %14.1f %9.3f %12.2f %12.2f%n", p.getFileName(), plainRate,
            markedRate, plainRate / markedRate, median(sampleMicros[0]), median(sampleMicros[1]));
      }
    }
  }

  private static double median(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
