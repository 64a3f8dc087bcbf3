package dev.radiomark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.Scheme;
import dev.radiomark.TestSupport;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServedWindowLedgerTest {
  static final int V = 50_000;

  @TempDir
  Path dir;

  static Watermarker wm() {
    return Watermarker.of(TestSupport.key(81), TestSupport.spec(Scheme.GREEN_LIST, V, 2, WindowRule.ORDERED));
  }

  @Test
  void recordsTheWindowsOfGeneratedPositions() {
    Watermarker w = wm();
    ServedWindowLedger l = ServedWindowLedger.create(w, 1000, 1e-6);
    int[] tokens = {10, 11, 12, 13, 14, 15};
    l.record(w, tokens, 3, 6); // windows before positions 3, 4, 5
    assertEquals(3, l.recordedWindows());
    for (int t = 3; t < 6; t++) {
      assertTrue(l.mightContain(w.windowSeed(tokens, t)));
    }
    assertFalse(l.mightContain(w.windowSeed(tokens, 2)), "the prompt's window was not served");
    l.record(w, tokens, 0, 2); // fewer than h tokens before: nothing to record
    assertEquals(3, l.recordedWindows());
    Watermarker other = Watermarker.of(TestSupport.key(82), w.spec());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.record(other, tokens, 2, 6));
    assertTrue(e.getMessage().contains("test-81") && e.getMessage().contains("test-82"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> l.record(w, tokens, 4, 7));
    assertTrue(e.getMessage().contains("[4, 7)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ServedWindowLedger.create(w, 0, 0.01));
    assertThrows(IllegalArgumentException.class, () -> ServedWindowLedger.create(w, 10, 0.5));
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    Watermarker w = wm();
    ServedWindowLedger l = ServedWindowLedger.create(w, 400_000, 1e-4);
    int threads = 4;
    int per = 50_000;
    long[][] seeds = new long[threads][per];
    List<Thread> ts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      UniformRandomProvider rng = TestSupport.rng(90 + i);
      for (int j = 0; j < per; j++) {
        seeds[i][j] = rng.nextLong();
      }
      long[] mine = seeds[i];
      ts.add(new Thread(() -> {
        for (long s : mine) {
          l.recordWindow(s);
        }
      }));
    }
    ts.forEach(Thread::start);
    for (Thread t : ts) {
      t.join();
    }
    assertEquals((long) threads * per, l.recordedWindows());
    for (long[] s : seeds) {
      for (long x : s) {
        assertTrue(l.mightContain(x));
      }
    }
  }

  @Test
  void saveLoadRoundTripAndBadFiles() throws IOException {
    Watermarker w = wm();
    ServedWindowLedger l = ServedWindowLedger.create(w, 10_000, 1e-5);
    UniformRandomProvider rng = TestSupport.rng(7);
    long[] s = new long[5000];
    for (int i = 0; i < s.length; i++) {
      s[i] = rng.nextLong();
      l.recordWindow(s[i]);
    }
    Path p = dir.resolve("ledger.bin");
    l.save(p);
    l.save(p); // replaces atomically
    ServedWindowLedger back = ServedWindowLedger.load(p);
    assertEquals("test-81", back.keyId());
    assertEquals(w.spec().describe(), back.specDescription());
    assertEquals(5000, back.recordedWindows());
    for (long x : s) {
      assertTrue(back.mightContain(x));
    }
    int fp = 0;
    for (int i = 0; i < 100_000; i++) {
      fp += back.mightContain(rng.nextLong()) ? 1 : 0;
    }
    assertTrue(fp < 20, "false positives " + fp); // expected about 1 at fpp 1e-5

    byte[] bytes = Files.readAllBytes(p);
    byte[] bad = bytes.clone();
    bad[0] = 'X';
    assertRefused(bad, "bad magic");
    bad = bytes.clone();
    bad[11] = 1; // big-endian version after the 8-byte magic
    assertRefused(bad, "ledger format version 1 is not supported");
    bad[11] = 3;
    assertRefused(bad, "ledger format version 3 is not supported");
    assertRefused(java.util.Arrays.copyOf(bytes, 10), "truncated");
    assertRefused(java.util.Arrays.copyOf(bytes, bytes.length - 9), "damaged or truncated");
  }

  private void assertRefused(byte[] content, String part) throws IOException {
    Path p = dir.resolve("bad-" + content.length + "-" + part.length() + ".bin");
    Files.write(p, content);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServedWindowLedger.load(p));
    assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains(part), e.getMessage());
  }

  /**
   * A false positive of the filter only ever admits a window; it never selects a token. The
   * supervised test keeps a position when its window is in the ledger, then scores the (window,
   * token) tuple it found. Whether a window is admitted depends on the window alone, and for text
   * written without the key a tuple is green with probability gamma whatever its window, so
   * admitting extra windows (true or false positives) leaves the null Binomial(n, gamma) intact:
   * a false positive costs power, never validity. Checked here with a tiny, saturated filter
   * (almost every window is a false positive): the green rate of admitted null tuples stays gamma.
   */
  @Test
  void bloomFalsePositivesOnlyAdmitWindows() {
    Watermarker w = wm();
    ServedWindowLedger l = ServedWindowLedger.create(w, 10, 0.49);
    UniformRandomProvider rng = TestSupport.rng(8);
    for (int i = 0; i < 200; i++) {
      l.recordWindow(rng.nextLong()); // fill a chain of small filters at a high rate
    }
    assertTrue(l.estimatedFalsePositiveRate() > 0.15, "estimated " + l.estimatedFalsePositiveRate());
    int[] text = new int[100_002];
    for (int i = 0; i < text.length; i++) {
      text[i] = rng.nextInt(V);
    }
    int admitted = 0;
    long green = 0;
    for (int t = 2; t < text.length; t++) {
      long ws = w.windowSeed(text, t);
      if (l.mightContain(ws)) {
        admitted++;
        green += (long) w.score(ws, text[t]);
      }
    }
    assertTrue(admitted > 15_000, "admitted " + admitted);
    double rate = (double) green / admitted;
    // 5 standard errors of Binomial(admitted, 0.25) (false-failure 5.7e-7).
    assertEquals(0.25, rate, 5 * Math.sqrt(0.25 * 0.75 / admitted));
  }
}
