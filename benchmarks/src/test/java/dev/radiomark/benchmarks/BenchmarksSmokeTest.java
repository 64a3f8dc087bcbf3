package dev.radiomark.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the CI profile: every benchmark must run and score; the times themselves are not judged. */
class BenchmarksSmokeTest {

  @Test
  void benchmarkListIsGenerated() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
      assertNotNull(in, "META-INF/BenchmarkList is missing: the JMH annotation processor did not run");
      String list = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(list.contains("SamplingBenchmark"), list);
      assertTrue(list.contains("ProcessorBenchmark"), list);
      assertTrue(list.contains("DetectionBenchmark"), list);
    }
  }

  @Test
  @Timeout(120)
  void ciProfileScoresEveryBenchmark() throws Exception {
    RatioReport.Settings s = RatioReport.Settings.parse("--ci");
    List<RatioReport.Row> rows = RatioReport.run(s);

    List<RatioReport.Row> sampling = rows.stream()
        .filter(r -> r.benchmark().startsWith("SamplingBenchmark")).collect(Collectors.toList());
    // 6 schemes (reference and plain included) x 1 vocab x 1 batch x 2 modes.
    assertEquals(12, sampling.size(), rows.toString());
    for (String mode : List.of("full", "topk50")) {
      Set<String> schemes = sampling.stream().filter(r -> r.mode().equals(mode))
          .map(RatioReport.Row::scheme).collect(Collectors.toSet());
      assertEquals(Set.copyOf(RatioReport.SCHEMES), schemes, mode);
    }
    assertEquals(3, rows.stream().filter(r -> r.benchmark().startsWith("ProcessorBenchmark")).count(),
        rows.toString());
    for (RatioReport.Row r : rows) {
      assertTrue(Double.isFinite(r.medianUs()) && r.medianUs() > 0, r.toString());
      assertTrue(Double.isFinite(r.ratio()) && r.ratio() > 0, r.toString());
    }

    String md = RatioReport.markdown(rows, s);
    for (String scheme : RatioReport.SCHEMES) {
      assertTrue(md.contains("| 32000 | 1 | full | " + scheme + " |"), md);
      assertTrue(md.contains("| 32000 | 1 | topk50 | " + scheme + " |"), md);
    }
  }

  @Test
  @Timeout(60)
  void ciProfileScoresEveryDetectionBenchmark() throws Exception {
    RatioReport.Settings s = RatioReport.Settings.parse("--ci");
    List<RatioReport.DetectionRow> rows = RatioReport.runDetection(s);

    // 4 schemes x (detect, detectPresized, detectPresizedHugePages, readingScore,
    // readingScorePresized, readingScoreBatched, readingScoreBatchedPresized and the three
    // diagnostic split rows) + 4 p-value functions.
    assertEquals(44, rows.size(), rows.toString());
    for (String bench : List.of("detect", "detectPresized", "detectPresizedHugePages", "readingScore",
        "readingScorePresized", "readingScoreBatched", "readingScoreBatchedPresized", "splitHashOnly",
        "splitSetOnlyPresized", "splitTuplesPresized")) {
      Set<String> schemes = rows.stream().filter(r -> r.benchmark().equals(bench))
          .map(RatioReport.DetectionRow::scheme).collect(Collectors.toSet());
      assertEquals(Set.of("green-h1", "selfhash-h4", "gumbel-h4", "tournament-h4"), schemes, bench);
    }
    for (RatioReport.DetectionRow r : rows) {
      assertTrue(Double.isFinite(r.medianUs()) && r.medianUs() > 0, r.toString());
      if (!r.scheme().equals("-")) {
        assertEquals(20_000, r.tokens(), r.toString());
        assertTrue(Double.isFinite(r.tokensPerSecond()) && r.tokensPerSecond() > 0, r.toString());
      }
    }
    String md = RatioReport.markdownDetection(rows, s);
    assertTrue(md.contains("| detect | gumbel-h4 |"), md);
    assertTrue(md.contains("| binomialFar |"), md);
  }
}
