package dev.radiomark.examples.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.examples.TestKeys;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.verify.cli.WmCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code wm evaluate} end to end on a small seeded run: the three files, the rows, and the
 * effects the report exists to show (spelling rewrites destroy detection of the text as given
 * and canonical variants restore it; copy-paste dilution needs the segment scan; unwatermarked
 * answers are not flagged).
 *
 * <p>Deterministic: the key is fixed here ({@code wm} draws a fresh one per run) as is the seed.
 * The unwatermarked-answer bound (at most 1 of 20 flagged at 1e-3 in every row and detector) is
 * a property of the key as much as of the code: with independent answers, 2 of 20 flagged in one
 * of the 12 rows happens for about 1 key in 400, and the teacher's answers share n-grams, so one
 * key's flags come together; 6 of 1,171 fresh keys broke it with this seed (one of them in CI).
 */
class EvaluateCommandTest {
  private static final WatermarkKey KEY = TestKeys.key("evaluate-test", 3);

  @TempDir Path dir;

  private int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = WmCommand.commandLine(new EvaluateCommand(() -> KEY));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static JsonNode row(JsonNode rows, String attack, int tokens) {
    for (JsonNode r : rows) {
      if (r.get("attack").asText().equals(attack) && r.get("tokens").asInt() == tokens) {
        return r;
      }
    }
    throw new AssertionError("no row " + attack + " " + tokens);
  }

  @Test
  void smallRunWritesTheReportAndShowsWhatCanonicalizationRecovers() throws Exception {
    Path out = dir.resolve("eval");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    assertEquals(0, run(o, e, "evaluate", "--answers", "20", "--lengths", "150", "--stealing-answers", "200",
        "--seed", "3", "--out", out.toString()), e.toString());
    assertTrue(o.toString().contains("| whitespace rewrite | 150 |"), o.toString());
    for (String f : new String[] {"evaluate.json", "evaluate.md", "evaluate.png"}) {
      assertTrue(Files.size(out.resolve(f)) > 100, f);
    }
    JsonNode j = new ObjectMapper().readTree(out.resolve("evaluate.json").toFile());
    JsonNode rows = j.get("rows");
    assertEquals(12, rows.size());
    for (String attack : new String[] {"whitespace rewrite", "upper case", "symbol between words"}) {
      JsonNode r = row(rows, attack, 150);
      assertTrue(r.get("as_given").get("tpr_1e-3").asDouble() <= 0.3, attack + ": " + r);
      assertTrue(r.get("canonical").get("tpr_1e-3").asDouble() >= 0.9, attack + ": " + r);
    }
    JsonNode paste = row(rows, "copy-paste into 9x human text", 150);
    assertTrue(paste.get("canonical").get("tpr_1e-3").asDouble() < paste.get("canonical_segments").get("tpr_1e-3").asDouble(),
        paste.toString());
    for (JsonNode r : rows) {
      for (String d : Evaluation.DETECTORS) {
        assertEquals(0.0, r.get(d).get("fpr_1e-3").asDouble(), 0.051, r.toString()); // at most 1 of 20
      }
    }
    JsonNode q = j.get("quality");
    assertTrue(q.get("perplexity_watermarked").asDouble() > q.get("perplexity_unwatermarked").asDouble(), q.toString());
  }

  @Test
  void badOptionsAreUsageErrorsAndWriteNothing() {
    Path out = dir.resolve("none");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    assertEquals(WmCommand.EXIT_USAGE, run(o, e, "evaluate", "--answers", "5", "--out", out.toString()));
    assertTrue(e.toString().contains("--answers is not in [10, 100000]: 5"), e.toString());
    assertEquals(WmCommand.EXIT_USAGE, run(o, e, "evaluate", "--lengths", "50,9", "--out", out.toString()));
    assertTrue(e.toString().contains("--lengths is not in [10, 4096]: 9"), e.toString());
    assertFalse(Files.exists(out));
  }
}
