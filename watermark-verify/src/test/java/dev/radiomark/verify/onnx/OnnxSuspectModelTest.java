package dev.radiomark.verify.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.radioactivity.RadioactivityResult;
import dev.radiomark.verify.radioactivity.ReadingModeTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

/** Reading mode with the fixture model as the suspect. */
class OnnxSuspectModelTest {
  static final WatermarkSpec SPEC = WatermarkSpec.greenList("kjv-genesis-words", 1024);

  static Watermarker watermarker(String id, int seed) {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) seed);
    return Watermarker.of(WatermarkKey.of(id, secret), SPEC);
  }

  /** Texts of 64 tokens sampled from the model under the watermark, from one-token prompts. */
  static List<int[]> probes(OnnxCausalLm lm, Watermarker wm, int count) {
    Sampler sampler = wm.sampler(SamplingConfig.defaults());
    DecodeState state = sampler.newState(RandomSource.XO_RO_SHI_RO_128_PP.create(42L));
    float[] logits = new float[lm.vocabSize()];
    List<int[]> texts = new ArrayList<>();
    try (OnnxCausalLm.Decoder d = lm.newDecoder()) {
      for (int i = 0; i < count; i++) {
        int[] text = new int[lm.maxContext()];
        text[0] = 3 + i; // a frequent word of the vocabulary
        d.reset();
        d.append(text, 0, 1, logits);
        for (int len = 1; len < text.length; len++) {
          text[len] = sampler.sample(logits, text, len, state);
          if (len + 1 < text.length) {
            d.append(text, len, len + 1, logits);
          }
        }
        texts.add(text);
      }
    }
    return texts;
  }

  @Test
  void readingModeRunsAndAnInnocentModelIsNotFlagged() {
    try (OnnxCausalLm lm = OnnxCausalLm.open(OnnxCausalLmTest.DIR.resolve("tiny-gpt-kv.onnx"),
        OnnxCausalLmTest.ONE_THREAD).requireVocabulary(SPEC)) {
      Watermarker ours = watermarker("ours", 1);
      List<int[]> texts = probes(lm, ours, 40);
      OnnxSuspectModel suspect = OnnxSuspectModel.of(lm);
      // The model wrote the probes but never trained on watermarked text: innocent under every
      // key. Fixed seeds make each assertion deterministic; by chance each would fail with
      // probability at most 1e-3.
      for (Watermarker wm : new Watermarker[] {watermarker("unrelated", 2), ours}) {
        RadioactivityResult r = ReadingModeTest.builder(wm, suspect)
            .chunkLength(64).maxContext(64).batchSize(128).budget(100_000).build().run(texts);
        assertTrue(r.tuplesScored() > 300, r.toString());
        assertTrue(r.log10P() > -3, r.toString());
      }
    }
  }
}
