package dev.radiomark.examples.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.WatermarkSpec;
import dev.radiomark.Watermarker;
import dev.radiomark.examples.TestKeys;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.Detector;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingLoopExampleTest {
  @TempDir Path dir;

  @Test
  void servedResponsesAreWatermarkedAndLedgered() {
    int vocab = 20_000;
    Path key = dir.resolve("t.key");
    KeyFiles.write(key, new KeyFile(TestKeys.key("t", 1), WatermarkSpec.greenList("toy", vocab)));
    Watermarker wm = KeyFiles.read(key).watermarker();
    ServedWindowLedger ledger = ServedWindowLedger.create(wm, 10_000, 0.01);
    ServingLoopExample server = new ServingLoopExample(key, ledger);
    ServingLoopExample.Model toy = ServingLoopExample.toyModel(vocab);
    Detector detector = Detector.of(wm);
    Detector.Tape tape = detector.newTape();
    int[] prompt = {5, 6, 7};
    for (int i = 0; i < 20; i++) {
      int[] out = server.generate(toy, prompt, 100, -1, RandomSource.XO_RO_SHI_RO_128_PP.create(i));
      assertEquals(103, out.length);
      tape.add(prompt, Arrays.copyOfRange(out, 3, out.length), null, null);
      for (int t = 3; t < out.length; t++) {
        assertTrue(ledger.mightContain(wm.windowSeed(out, t)), "served window missing from the ledger");
      }
    }
    DetectionResult r = tape.result();
    // 2,000 served tokens at delta 2 on a peaked toy model: the pooled p-value is far below 1e-6.
    assertTrue(r.log10P() < -6, "pooled log10 p " + r.log10P());
    assertTrue(r.rate() > 0.3, "green rate " + r.rate());
  }

  @Test
  void biasOnlyAddsDeltaToGreenTokens() {
    int vocab = 1000;
    Path key = dir.resolve("b.key");
    KeyFiles.write(key, new KeyFile(WatermarkKey.generate("b"), WatermarkSpec.greenList("toy", vocab)));
    Watermarker wm = KeyFiles.read(key).watermarker();
    ServingLoopExample server = new ServingLoopExample(key, ServedWindowLedger.create(wm, 100, 0.01));
    float[] plain = new float[vocab];
    float[] biased = new float[vocab];
    int[] ctx = {9};
    ServingLoopExample.toyModel(vocab).nextLogits(ctx, 1, plain);
    server.biasOnly(ServingLoopExample.toyModel(vocab), ctx, 1, biased);
    long ws = wm.windowSeed(ctx, 1);
    for (int v = 0; v < vocab; v++) {
      float expected = plain[v] + (wm.score(ws, v) == 1.0 ? 2.0f : 0.0f);
      assertEquals(expected, biased[v], 0.0f);
    }
  }
}
