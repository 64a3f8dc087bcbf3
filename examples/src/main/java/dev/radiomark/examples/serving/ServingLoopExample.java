package dev.radiomark.examples.serving;

import dev.radiomark.DecodeState;
import dev.radiomark.LogitsProcessor;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.ledger.ServedWindowLedger;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * How serving code links the library: load the key once, share one {@link Watermarker} and one
 * {@link Sampler} across threads, keep a {@link DecodeState} per sequence, sample every token
 * through the sampler, record the served windows in the ledger.
 */
public final class ServingLoopExample {
  /** A model: fills {@code logits} (one row, vocabulary wide) for the context {@code tokens[0, len)}. */
  public interface Model {
    /**
     * @param tokens context
     * @param len context length
     * @param logits output row
     */
    void nextLogits(int[] tokens, int len, float[] logits);
  }

  private final Watermarker watermarker;
  private final Sampler sampler;
  private final ServedWindowLedger ledger;

  /**
   * @param keyFile the tenant's key file (written by {@code wm keygen})
   * @param ledger where served windows are recorded
   */
  public ServingLoopExample(Path keyFile, ServedWindowLedger ledger) {
    KeyFile kf = KeyFiles.read(keyFile);
    this.watermarker = kf.watermarker();
    this.sampler = watermarker.sampler(SamplingConfig.defaults().withTemperature(0.8).withTopP(0.95));
    this.ledger = ledger;
  }

  /**
   * Generates one watermarked response.
   *
   * @param model the model
   * @param prompt prompt tokens
   * @param maxNewTokens response budget
   * @param eos end-of-sequence token id
   * @param random this request's non-keyed randomness
   * @return prompt followed by the response
   */
  public int[] generate(Model model, int[] prompt, int maxNewTokens, int eos, UniformRandomProvider random) {
    int[] tokens = new int[prompt.length + maxNewTokens];
    System.arraycopy(prompt, 0, tokens, 0, prompt.length);
    float[] logits = new float[watermarker.spec().vocabSize()];
    DecodeState state = sampler.newState(random);
    int len = prompt.length;
    while (len < tokens.length) {
      model.nextLogits(tokens, len, logits);
      int next = sampler.sample(logits, tokens, len, state);
      tokens[len++] = next;
      if (next == eos) {
        break;
      }
    }
    ledger.record(watermarker, tokens, prompt.length, len);
    return java.util.Arrays.copyOf(tokens, len);
  }

  /**
   * Engines that keep their own sampler bias the logits in place instead (green list only).
   *
   * @param model the model
   * @param tokens context
   * @param len context length
   * @param logits row to fill and bias
   */
  public void biasOnly(Model model, int[] tokens, int len, float[] logits) {
    LogitsProcessor processor = watermarker.processor();
    model.nextLogits(tokens, len, logits);
    processor.bias(logits, tokens, len);
  }

  /** @return the watermarker in use */
  public Watermarker watermarker() {
    return watermarker;
  }

  /**
   * Runs the example on a toy model: writes a fresh key to a temporary file, serves a few
   * responses, prints the ledger size.
   *
   * @param args unused
   * @throws Exception on I/O failure
   */
  public static void main(String[] args) throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("radiomark-serving");
    Path key = dir.resolve("tenant.key");
    int vocab = 50_000;
    KeyFiles.write(key, new KeyFile(WatermarkKey.generate("example-tenant"),
        WatermarkSpec.greenList("toy", vocab)));
    Watermarker wm = KeyFiles.read(key).watermarker();
    ServedWindowLedger ledger = ServedWindowLedger.create(wm, 100_000, 0.01);
    ServingLoopExample server = new ServingLoopExample(key, ledger);
    Model toy = toyModel(vocab);
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create();
    BiConsumer<Integer, int[]> show = (i, out) -> System.out.println("response " + i + ": " + out.length + " tokens");
    for (int i = 0; i < 3; i++) {
      show.accept(i, server.generate(toy, new int[] {1, 2, 3}, 64, 0, rng));
    }
    System.out.println(ledger);
  }

  /**
   * A toy model: a peaked pseudo-random distribution that depends on the last token.
   *
   * @param vocab vocabulary size
   * @return the model
   */
  public static Model toyModel(int vocab) {
    return (tokens, len, logits) -> {
      long s = len == 0 ? 17 : tokens[len - 1] * 0x9E3779B97F4A7C15L;
      for (int v = 0; v < vocab; v++) {
        s = s * 6364136223846793005L + 1442695040888963407L;
        logits[v] = (float) ((s >>> 40) * 0x1p-24 * 4.0);
      }
      for (int j = 0; j < 20; j++) {
        s = s * 6364136223846793005L + 1442695040888963407L;
        logits[(int) ((s >>> 33) % vocab)] += 6.0f;
      }
    };
  }
}
