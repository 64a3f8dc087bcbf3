package dev.radiomark.examples.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.verify.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole demo pipeline on a small configuration and checks what it reports. */
class DemoTest {
  @TempDir static Path dir;
  static DemoResult result;
  static String progress;

  /** Small enough for CI (about 20 s), large enough that rho = 100% is unmistakable. */
  static DemoConfig small() {
    return new DemoConfig(3L, 0.25, 3.0, 2, 8, 32, 50, 0.8, 0.95, 16_000, List.of(0.0, 1.0), 150, 4_000,
        8_000, 1_000_000, 6_000, 1e-6);
  }

  @BeforeAll
  static void run() {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    result = DistillationDemo.run(small(), new PrintStream(log, true, StandardCharsets.UTF_8));
    progress = log.toString(StandardCharsets.UTF_8);
  }

  @Test
  void controlsAreNotFlaggedAndFullyDistilledStudentsAre() {
    assertEquals(12, result.rows().size(), "2 students x 2 rho x (closed, closed supervised, reading)");
    for (DemoRow row : result.rows()) {
      if (row.control()) {
        // Valid tests at alpha 1e-6: a control is flagged with probability <= 1e-6 per row.
        assertEquals(Verdict.NOT_FLAGGED, row.verdict(), "control: " + row);
        assertTrue(row.result().log10P() > -6);
      } else if (row.student().equals("ngram")) {
        // An n-gram student trained only on watermarked answers reproduces the bias exactly.
        assertTrue(row.result().log10P() < -20, "ngram rho=1 not flagged: " + row);
        assertTrue(row.result().rate() > 0.4, "green rate " + row.result().rate());
        assertEquals(Verdict.FLAGGED, row.verdict(), "ngram rho=1: " + row);
        assertTrue(row.statement(1e-6).contains(row.mode().equals("closed")
            ? "consistent with training on, or copying of, text we served" : "consistent with training on text we served"),
            row.statement(1e-6));
      }
    }
  }

  @Test
  void writesResultsReportAndCharts() throws Exception {
    List<Path> files = DemoReport.write(result, dir.resolve("out"));
    assertEquals(4, files.size());
    for (Path f : files) { // reports are readable by others (keys and ledgers are not)
      assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
    }
    JsonNode root = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile());
    JsonNode rows = root.get("rows");
    assertEquals(result.rows().size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode r = rows.get(i);
      DemoRow expected = result.rows().get(i);
      for (String f : new String[] {"student", "rho", "mode", "supervised", "tuples_scored", "green_rate", "log10_p",
          "verdict", "statement"}) {
        assertTrue(r.has(f), "results.json row lacks " + f);
      }
      assertEquals(expected.student(), r.get("student").asText());
      assertEquals(expected.rho(), r.get("rho").asDouble());
      assertEquals(expected.result().tuplesScored(), r.get("tuples_scored").asLong());
      assertEquals(expected.verdict().word(), r.get("verdict").asText());
      assertFalse(r.has("flagged"), "no boolean beside the verdict");
      assertTrue(r.get("rho").asDouble() >= 0 && r.get("rho").asDouble() <= 1, "rho is a fraction");
    }
    String md = Files.readString(dir.resolve("out/report.md"));
    assertTrue(md.contains("| student | rho | mode |"));
    assertTrue(md.contains("| log10 p | verdict |"), md);
    assertFalse(md.contains("learned"), md);
    for (String png : new String[] {"reading.png", "closed.png"}) {
      byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve("out").resolve(png)), 8);
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head, png);
    }
    assertTrue(progress.contains("teacher:") && progress.contains("done"), "progress lines missing");
  }

  @Test
  void tableHasOneLinePerRow() {
    String table = DemoReport.table(result);
    String[] lines = table.split("\n");
    assertEquals(result.rows().size() + 1, lines.length);
    for (int i = 0; i < result.rows().size(); i++) {
      assertTrue(lines[i + 1].endsWith("  " + result.rows().get(i).verdict().word()), lines[i + 1]);
    }
  }
}
