package dev.radiomark.ledger;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.radiomark.DecodeState;
import dev.radiomark.Sampler;
import dev.radiomark.SamplingConfig;
import dev.radiomark.Scheme;
import dev.radiomark.TestSupport;
import dev.radiomark.Watermarker;
import dev.radiomark.WindowRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrency soak: decoding threads share one sampler and one ledger (small, so that it grows
 * its chain during the run) while another thread keeps saving it, reloading the file and merging
 * a replica's ledger into it. Checked: no thread fails; every window whose recording finished
 * before a save is in the saved file; at the end every window recorded anywhere is a member.
 *
 * <p>Runs {@value #DEFAULT_SECONDS} s in {@code mvn verify}; for a long run:
 * {@code mvn -B -pl watermark-core test -Dtest=LedgerSoakTest -Dradiomark.soak.seconds=600}.
 */
class LedgerSoakTest {
  static final int DEFAULT_SECONDS = 3;
  static final int V = 2000;
  static final int WRITERS = 3;
  /** Seeds kept per writer for the checks (a long run keeps recording beyond it). */
  static final int KEEP = 1 << 20;

  @TempDir
  Path dir;

  @Test
  void writersSaversAndMergersShareOneLedger() throws Exception {
    double seconds = Double.parseDouble(System.getProperty("radiomark.soak.seconds", Integer.toString(DEFAULT_SECONDS)));
    Watermarker w = Watermarker.of(TestSupport.key(91), TestSupport.spec(Scheme.GREEN_LIST, V, 2, WindowRule.ORDERED));
    Sampler sampler = w.sampler(SamplingConfig.defaults().withTemperature(0.9));
    ServedWindowLedger ledger = ServedWindowLedger.create(w, 5_000, 0.01);
    ServedWindowLedger replica = ServedWindowLedger.create(w, 5_000, 0.01);
    long[][] seeds = new long[WRITERS + 1][KEEP];
    AtomicLongArray done = new AtomicLongArray(WRITERS + 1); // seeds[i][0, done[i]) are recorded
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger saves = new AtomicInteger();
    AtomicInteger merges = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i <= WRITERS; i++) {
      int me = i;
      ServedWindowLedger target = i == WRITERS ? replica : ledger; // the last writer is a replica
      threads.add(new Thread(() -> {
        DecodeState state = sampler.newState(TestSupport.rng(100 + me));
        float[] logits = new float[V];
        int[] tokens = new int[48];
        int n = 0;
        while (!stop.get()) {
          tokens[0] = state.hashCode() & 1023;
          tokens[1] = n & 1023;
          state.reset();
          for (int len = 2; len < tokens.length; len++) {
            TestSupport.modelLogits(logits, tokens, len);
            tokens[len] = sampler.sample(logits, tokens, len, state);
          }
          target.record(w, tokens, 2, tokens.length);
          for (int t = 2; t < tokens.length && n < KEEP; t++) {
            seeds[me][n++] = w.windowSeed(tokens, t);
          }
          done.set(me, n);
        }
      }, "writer-" + i));
    }
    threads.add(new Thread(() -> {
      Path p = dir.resolve("soak.ledger");
      while (!stop.get()) {
        long[] before = new long[WRITERS];
        for (int i = 0; i < WRITERS; i++) {
          before[i] = done.get(i);
        }
        ledger.save(p);
        saves.incrementAndGet();
        ServedWindowLedger back = ServedWindowLedger.load(p);
        for (int i = 0; i < WRITERS; i++) {
          for (int j = 0; j < before[i]; j++) {
            if (!back.mightContain(seeds[i][j])) {
              throw new AssertionError("saved file lacks window " + j + " of writer " + i);
            }
          }
        }
        ledger.merge(replica);
        merges.incrementAndGet();
      }
    }, "saver"));
    for (Thread t : threads) {
      t.setUncaughtExceptionHandler((th, e) -> failures.add(e));
      t.start();
    }
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(failures.isEmpty(), () -> "thread failed: " + failures.peek());
    ledger.merge(replica);
    long checked = 0;
    for (int i = 0; i <= WRITERS; i++) {
      for (int j = 0; j < done.get(i); j++) {
        assertTrue(ledger.mightContain(seeds[i][j]), "window " + j + " of writer " + i);
      }
      checked += done.get(i);
    }
    assertTrue(saves.get() > 0 && merges.get() > 0 && ledger.filterCount() > 1,
        "saves " + saves + ", merges " + merges + ", filters " + ledger.filterCount());
    // Two chains of rate bound 0.01 each (the ledger's and the replica's): at most 0.02, however
    // often the same replica is merged again; 5% slack for Guava rounding a filter's bits down
    // and for puts racing past a filter's capacity before the next one starts.
    assertTrue(ledger.estimatedFalsePositiveRate() < 0.021, "estimated FPR " + ledger.estimatedFalsePositiveRate());
    System.out.printf(Locale.ROOT, "soak %.0f s: %d windows checked, %d saves, %d merges, %d filters, %d distinct,"
        + " estimated FPR %.4f%n", seconds, checked, saves.get(), merges.get(), ledger.filterCount(),
        ledger.distinctWindows(), ledger.estimatedFalsePositiveRate());
  }
}
