package dev.radiomark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import dev.radiomark.TestSupport;
import dev.radiomark.Watermarker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger keeps its false-positive rate when it is filled past the capacity it was created
 * with; a single Bloom filter does not. The printed figures are those of docs/reliability.md.
 */
class LedgerCapacityTest {
  static final int N = 20_000;
  static final double P = 0.01;
  static final int PROBES = 200_000;

  @TempDir
  Path dir;

  @Test
  void chainKeepsItsRateWhereASingleFilterDegrades() throws IOException {
    Watermarker w = ServedWindowLedgerTest.wm();
    UniformRandomProvider rng = TestSupport.rng(11);
    ServedWindowLedger chain = ServedWindowLedger.create(w, N, P);
    BloomFilter<Long> single = BloomFilter.create(Funnels.longFunnel(), N, P);
    long inserted = 0;
    for (int fill : new int[] {1, 2, 5}) {
      for (; inserted < (long) fill * N; inserted++) {
        long s = rng.nextLong();
        chain.recordWindow(s);
        single.put(s);
      }
      // Probes are fresh random seeds: never recorded (a collision has probability ~1e-9).
      int fpChain = 0;
      int fpSingle = 0;
      for (int i = 0; i < PROBES; i++) {
        long s = rng.nextLong();
        fpChain += chain.mightContain(s) ? 1 : 0;
        fpSingle += single.mightContain(s) ? 1 : 0;
      }
      double rc = (double) fpChain / PROBES;
      double rs = (double) fpSingle / PROBES;
      System.out.printf(Locale.ROOT, "ledger at %dx capacity (%d windows): chain FPR %.4f (estimated %.4f, %d filters)"
          + ", single filter %.4f%n", fill, inserted, rc, chain.estimatedFalsePositiveRate(), chain.filterCount(), rs);
      // The chain's bound is P; 200,000 probes put 5 standard errors at about 0.0011.
      assertTrue(rc < P, "chain FPR " + rc + " at " + fill + "x");
      assertEquals(chain.estimatedFalsePositiveRate(), rc, 0.0015 + 0.1 * rc);
      ByteArrayOutputStream one = new ByteArrayOutputStream();
      single.writeTo(one);
      Path p = dir.resolve("chain-" + fill + ".ledger");
      chain.save(p);
      System.out.printf(Locale.ROOT, "  file size: chain %,d bytes, single filter %,d bytes, one filter sized for"
          + " %dx at rate %s: %,d bytes%n", Files.size(p), one.size(), fill, P, sized(fill * N));
      if (fill == 5) {
        assertTrue(rs > 0.5, "single filter at 5x: " + rs);
        assertTrue(chain.capacity() >= 5L * N && !chain.overCapacity());
      }
    }
  }

  private static int sized(long n) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    BloomFilter.create(Funnels.longFunnel(), n, P).writeTo(b);
    return b.size();
  }

  @Test
  void replicasMergeIntoOneFilterWhenTheUnionFits() {
    Watermarker w = ServedWindowLedgerTest.wm();
    UniformRandomProvider rng = TestSupport.rng(12);
    ServedWindowLedger merged = ServedWindowLedger.create(w, N, P);
    long[] all = new long[4 * (N / 5)];
    for (int r = 0; r < 4; r++) {
      ServedWindowLedger replica = ServedWindowLedger.create(w, N, P);
      for (int i = 0; i < N / 5; i++) {
        all[r * (N / 5) + i] = rng.nextLong();
        replica.recordWindow(all[r * (N / 5) + i]);
      }
      merged.merge(replica);
    }
    assertEquals(1, merged.filterCount(), "four fifths of the capacity fit in one filter");
    assertEquals(all.length, merged.recordedWindows());
    for (long s : all) {
      assertTrue(merged.mightContain(s));
    }
    // Two full replicas do not fit in one filter: kept apart, the rate stays honest.
    ServedWindowLedger a = ServedWindowLedger.create(w, N, P);
    ServedWindowLedger b = ServedWindowLedger.create(w, N, P);
    for (int i = 0; i < N - 1; i++) {
      a.recordWindow(rng.nextLong());
      b.recordWindow(rng.nextLong());
    }
    a.merge(b);
    assertEquals(2, a.filterCount());
    assertTrue(a.estimatedFalsePositiveRate() < 2 * P / 2 + 1e-3, "estimated " + a.estimatedFalsePositiveRate());
  }

  /** A replica merged again after it grew holds each of its filters once in the merged ledger. */
  @Test
  void aGrowingReplicaMergedAgainIsHeldOnce() {
    Watermarker w = ServedWindowLedgerTest.wm();
    UniformRandomProvider rng = TestSupport.rng(13);
    ServedWindowLedger merged = ServedWindowLedger.create(w, N, P);
    for (int i = 0; i < N * 9 / 10; i++) {
      merged.recordWindow(rng.nextLong());
    }
    ServedWindowLedger replica = ServedWindowLedger.create(w, N, P);
    for (int round = 0; round < 12; round++) {
      for (int i = 0; i < N / 4; i++) {
        replica.recordWindow(rng.nextLong());
      }
      merged.merge(replica);
      assertTrue(merged.filterCount() <= 1 + replica.filterCount(),
          "round " + round + ": " + merged.filterCount() + " filters for 1 + " + replica.filterCount());
    }
    assertTrue(merged.estimatedFalsePositiveRate() < 2 * P, "estimated " + merged.estimatedFalsePositiveRate());
  }
}
