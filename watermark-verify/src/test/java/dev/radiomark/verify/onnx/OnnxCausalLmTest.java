package dev.radiomark.verify.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.WatermarkSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixture models of examples/fixtures/make_onnx_fixture.py (test resources onnx/): loading,
 * agreement with PyTorch, the cache, padding, and the messages for models that do not fit.
 */
class OnnxCausalLmTest {
  static final Path DIR = Path.of("src/test/resources/onnx");
  static final OnnxCausalLm.Options ONE_THREAD = OnnxCausalLm.Options.defaults().withThreads(1);

  private static OnnxCausalLm plain;
  private static OnnxCausalLm kv;

  @BeforeAll
  static void open() {
    plain = OnnxCausalLm.open(DIR.resolve("tiny-gpt.onnx"), ONE_THREAD);
    kv = OnnxCausalLm.open(DIR.resolve("tiny-gpt-kv.onnx"), ONE_THREAD);
  }

  @AfterAll
  static void close() {
    for (OnnxCausalLm m : new OnnxCausalLm[] {plain, kv}) {
      if (m != null) {
        m.close();
      }
    }
  }

  /** The reference contexts and rows PyTorch computed when it exported the models. */
  static JsonNode reference() throws IOException {
    return new ObjectMapper().readTree(DIR.resolve("reference-logits.json").toFile());
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  @Test
  void layoutIsDiscovered() {
    assertEquals(1024, plain.vocabSize());
    assertEquals(1024, kv.vocabSize());
    assertFalse(plain.hasKvCache());
    assertTrue(kv.hasKvCache());
    assertEquals(64, plain.maxContext(), "from the max_position_embeddings metadata");
    assertEquals(64, kv.maxContext());
    try (OnnxCausalLm m = OnnxCausalLm.open(DIR.resolve("tiny-gpt.onnx"), ONE_THREAD.withMaxContext(10))) {
      assertEquals(10, m.maxContext());
    }
  }

  @Test
  void logitsMatchPyTorchWithinOneThousandth() throws IOException {
    JsonNode ref = reference();
    float[] out = new float[1024];
    for (OnnxCausalLm m : new OnnxCausalLm[] {plain, kv}) {
      for (int c = 0; c < ref.get("contexts").size(); c++) {
        int[] ctx = ints(ref.get("contexts").get(c));
        m.nextTokenLogits(new int[][] {ctx}, new int[] {ctx.length}, 1, out);
        assertRow(ref.get("logits").get(c), out, 0, 1e-3, m + " context " + c);
        try (OnnxCausalLm.Decoder d = m.newDecoder()) {
          d.append(ctx, 0, ctx.length, out);
          assertRow(ref.get("logits").get(c), out, 0, 1e-3, m + " decoder, context " + c);
        }
      }
    }
  }

  private static void assertRow(JsonNode expected, float[] actual, int from, double tol, String what) {
    assertEquals(1024, expected.size());
    for (int i = 0; i < expected.size(); i++) {
      double e = expected.get(i).asDouble();
      if (Math.abs(e - actual[from + i]) > tol) {
        throw new AssertionError(what + ": logit " + i + " is " + actual[from + i] + ", expected " + e);
      }
    }
  }

  @Test
  void cachedDecodingMatchesFullRecompute() throws IOException {
    int[] text = ints(reference().get("contexts").get(2));
    float[] cached = new float[1024];
    float[] full = new float[1024];
    float[] batch = new float[1024];
    try (OnnxCausalLm.Decoder withCache = kv.newDecoder(); OnnxCausalLm.Decoder recompute = plain.newDecoder()) {
      withCache.append(text, 0, 5, cached);
      recompute.append(text, 0, 5, full);
      for (int len = 6; len <= text.length; len++) {
        withCache.append(text, len - 1, len, cached);
        recompute.append(text, len - 1, len, full);
        kv.nextTokenLogits(new int[][] {text}, new int[] {len}, 1, batch);
        assertClose(full, 0, cached, 0, 1e-4, "step " + len);
        assertClose(batch, 0, cached, 0, 1e-4, "step " + len + " against a fresh run");
      }
      assertEquals(text.length, withCache.length());
      withCache.reset();
      withCache.append(text, 0, 3, cached);
      kv.nextTokenLogits(new int[][] {text}, new int[] {3}, 1, batch);
      assertClose(batch, 0, cached, 0, 1e-4, "after reset");
    }
  }

  static void assertClose(float[] a, int af, float[] b, int bf, double tol, String what) {
    for (int i = 0; i < 1024; i++) {
      if (Math.abs(a[af + i] - b[bf + i]) > tol) {
        throw new AssertionError(what + ": logit " + i + ": " + a[af + i] + " vs " + b[bf + i]);
      }
    }
  }

  @Test
  void paddingAndBatchingDoNotChangeAContextsLogits() throws IOException {
    int[] text = ints(reference().get("contexts").get(2));
    // Distinct arrays of different lengths, and one array shared at several lengths.
    int[][] contexts = {Arrays.copyOf(text, 1), text, Arrays.copyOfRange(text, 7, 40), text, text,
        Arrays.copyOfRange(text, 3, 4)};
    int[] lens = {1, 64, 33, 10, 1, 1};
    for (OnnxCausalLm m : new OnnxCausalLm[] {plain, kv}) {
      OnnxSuspectModel suspect = OnnxSuspectModel.of(m);
      float[] batched = new float[contexts.length * 1024];
      float[] direct = new float[contexts.length * 1024];
      suspect.nextTokenLogits(contexts, lens, contexts.length, batched);
      m.nextTokenLogits(contexts, lens, contexts.length, direct);
      float[] alone = new float[1024];
      for (int b = 0; b < contexts.length; b++) {
        m.nextTokenLogits(new int[][] {Arrays.copyOf(contexts[b], lens[b])}, new int[] {lens[b]}, 1, alone);
        assertClose(alone, 0, batched, b * 1024, 1e-4, m + " suspect batch row " + b);
        assertClose(alone, 0, direct, b * 1024, 1e-4, m + " padded batch row " + b);
      }
      int[] top = new int[contexts.length];
      suspect.top1(contexts, lens, contexts.length, top);
      for (int b = 0; b < contexts.length; b++) {
        assertTrue(top[b] >= 0 && top[b] < 1024);
      }
    }
  }

  @Test
  void concurrentRunsGiveTheSameLogits() throws Exception {
    int[] text = ints(reference().get("contexts").get(2));
    float[] expected = new float[1024];
    kv.nextTokenLogits(new int[][] {text}, new int[] {40}, 1, expected);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<float[]>> runs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        runs.add(pool.submit(() -> {
          float[] out = new float[1024];
          kv.nextTokenLogits(new int[][] {text}, new int[] {40}, 1, out);
          return out;
        }));
      }
      for (Future<float[]> f : runs) {
        assertClose(expected, 0, f.get(), 0, 1e-6, "concurrent run");
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void modelsThatDoNotFitAreRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxCausalLm.open(DIR.resolve("invalid-no-input-ids.onnx"), ONE_THREAD));
    assertTrue(e.getMessage().contains("invalid-no-input-ids.onnx: no input named input_ids (inputs: [tokens])"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> OnnxCausalLm.open(DIR.resolve("invalid-logits-rank2.onnx"), ONE_THREAD));
    assertTrue(e.getMessage().contains("invalid-logits-rank2.onnx: logits has rank 2, not 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OnnxCausalLm.open(DIR.resolve("missing.onnx")));
    assertTrue(e.getMessage().startsWith("model is not a readable file: ") && e.getMessage().endsWith("missing.onnx"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OnnxCausalLm.open(DIR.resolve("vocab.json")));
    assertTrue(e.getMessage().contains("vocab.json: ONNX Runtime cannot load it"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> plain.requireVocabulary(WatermarkSpec.greenList("o200k_base", 200_019)));
    assertTrue(e.getMessage().endsWith(
        "tiny-gpt.onnx: its logits have 1024 entries but the o200k_base vocabulary of the watermark has 200019"),
        e.getMessage());
    assertEquals(plain, plain.requireVocabulary(WatermarkSpec.greenList("kjv-genesis-words", 1024)));
  }

  @Test
  void contextsOutsideTheModelAreRefused() {
    float[] out = new float[1024];
    int[] long65 = new int[65];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> kv.nextTokenLogits(new int[][] {long65}, new int[] {65}, 1, out));
    assertEquals("context length is not in [1, 64]: 65 (tiny-gpt-kv.onnx)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> plain.nextTokenLogits(new int[][] {{5, 1024}}, new int[] {2}, 1, out));
    assertEquals("token id is not in [0, 1024): 1024 (tiny-gpt.onnx)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> plain.nextTokenLogits(new int[][] {{5, 6}}, new int[] {3}, 1, out));
    assertEquals("lens[0] is longer than its context of 2 tokens: 3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> OnnxSuspectModel.of(plain).nextTokenLogits(new int[][] {{5, 6}, {5}}, new int[] {2, 0}, 2, new float[2048]));
    assertEquals("lens[1] is not at least 1: 0", e.getMessage());
    try (OnnxCausalLm.Decoder d = kv.newDecoder()) {
      d.append(long65, 0, 64, out);
      e = assertThrows(IllegalArgumentException.class, () -> d.append(long65, 64, 65, out));
      assertEquals("context length is not in [1, 64]: 65 (tiny-gpt-kv.onnx)", e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> d.append(long65, 3, 3, out));
      assertEquals("[from, to) is not a non-empty range of [0, 65): [3, 3)", e.getMessage());
    }
  }
}
