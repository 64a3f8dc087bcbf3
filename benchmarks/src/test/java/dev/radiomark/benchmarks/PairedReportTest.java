package dev.radiomark.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The paired benchmark runs and yields a ratio per point; the verdict rule is the documented one. */
class PairedReportTest {

  @Test
  @Timeout(60)
  void ciProfileYieldsAPairedRatioForEveryPoint() throws Exception {
    List<PairedReport.Row> rows = PairedReport.run(List.of("full", "topk50"),
        List.of("plain", "green-h1"), 0, 1, true);
    assertEquals(4, rows.size(), rows.toString());
    for (PairedReport.Row r : rows) {
      double m = r.median();
      // Ratios of two samplers doing the same kind of work: finite, positive, not absurd.
      assertTrue(m > 0.2 && m < 20, r.mode() + " " + r.scheme() + ": " + m);
      assertTrue(r.referenceUs() > 0, r.toString());
    }
    String md = PairedReport.markdown(rows, 0, 1);
    assertTrue(md.contains("| full | green-h1 |"), md);
  }

  /**
   * The floor rows time the keyed work of a candidate step alone (window seed and 50 scores): on
   * the quiet machine 0.10-0.29 of the reference step (docs/benchmarks.md), a whole watermarked
   * step 1.1-1.4. A floor row that ran the scheme's whole step would be near 1 or above; 0.8
   * leaves the 100 ms CI profile room (its runs gave 0.1-0.4).
   */
  @Test
  @Timeout(60)
  void keyedFloorTimesTheKeyedWorkAlone() throws Exception {
    List<PairedReport.Row> rows = PairedReport.run(List.of("topk50"),
        List.of("green-h1-keyed", "selfhash-h4-keyed"), 0, 1, true);
    assertEquals(2, rows.size(), rows.toString());
    for (PairedReport.Row r : rows) {
      assertTrue(r.median() > 0 && r.median() < 0.8, r.scheme() + ": " + r.median());
      assertEquals("-", r.verdict(), r.scheme());
    }
  }

  @Test
  void aTargetIsMetOnlyWhenTheMedianAndEveryForkMeetIt() {
    // Pooled median 1.05 <= 1.10, but the second fork's median is 1.15: missed.
    PairedReport.Row oneSlowFork = new PairedReport.Row("full", "green-h1",
        new double[][] {{1.00, 1.01, 1.02}, {1.14, 1.15, 1.16}, {1.03, 1.05, 1.06}}, 1000, 50, 1.0);
    assertEquals("missed", oneSlowFork.verdict());
    PairedReport.Row allFast = new PairedReport.Row("full", "green-h1",
        new double[][] {{1.00, 1.01, 1.02}, {1.08, 1.09, 1.12}, {1.03, 1.05, 1.06}}, 1000, 50, 1.0);
    assertEquals("met", allFast.verdict());
    // The same ratios when the library's plain sampler takes 0.9 of the reference's time: judged
    // against the faster plain sampler (1.05 / 0.9 = 1.17), missed.
    PairedReport.Row fasterPlain = new PairedReport.Row("full", "green-h1", allFast.forkRatios(), 1000, 50, 0.9);
    assertEquals("missed", fasterPlain.verdict());
    PairedReport.Row noTarget = new PairedReport.Row("topk50", "plain",
        new double[][] {{3.0}}, 1, 2, 1.0);
    assertEquals("-", noTarget.verdict());
  }
}
