package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wm detect --csv}: one row per record and key, the same numbers and verdicts as the JSON. */
class DetectCsvTest {
  @TempDir
  Path dir;

  @Test
  void rowsMatchTheJson() throws Exception {
    Path a = dir.resolve("a.key");
    Path b = dir.resolve("b.key");
    assertEquals(0, WmCommandTest.wm("keygen", "--out", a.toString(), "--id", "a").code());
    assertEquals(0, WmCommandTest.wm("keygen", "--out", b.toString(), "--id", "b").code());
    Path in = Files.writeString(dir.resolve("in.jsonl"),
        "{\"id\":\"x, \\\"quoted\\\"\",\"text\":\"In the beginning God created the heaven and the earth.\"}\n{\"text\":\"\"}\n");
    Path csv = dir.resolve("out.csv");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", a.toString(), "--key", b.toString(),
        "--input", in.toString(), "--csv", csv.toString(), "--segments");
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(csv);
    assertEquals(5, lines.size(), lines.toString()); // header + 2 records x 2 keys
    assertTrue(lines.get(0).startsWith("id,line,tokens,prompt_tokens,key_id,tuples_scored"), lines.get(0));
    assertTrue(lines.get(1).startsWith("\"x, \"\"quoted\"\"\",1,"), lines.get(1));
    JsonNode rec = new ObjectMapper().readTree(r.out()).get("records").get(0);
    JsonNode key0 = rec.get("keys").get(0);
    String[] cells = lines.get(1).substring(lines.get(1).lastIndexOf('"') + 2).split(",", -1);
    // cells after the id: line, tokens, prompt_tokens, key_id, tuples_scored, ...
    assertEquals(key0.get("key_id").asText(), cells[3]);
    assertEquals(key0.get("tokens_scored").asLong(), Long.parseLong(cells[4]));
    assertEquals(key0.get("verdict").asText(), cells[10]);
    assertEquals(rec.get("verdict").asText(), cells[11]);
    String empty = lines.get(3);
    assertTrue(empty.contains(",,"), "the rate of an empty text is an empty cell: " + empty);
  }

  @Test
  void nothingIsWrittenWhenTheInputFails() throws Exception {
    Path a = dir.resolve("a.key");
    assertEquals(0, WmCommandTest.wm("keygen", "--out", a.toString(), "--id", "a").code());
    Path in = Files.writeString(dir.resolve("bad.jsonl"), "{\"text\":\"ok\"}\n{broken\n");
    Path csv = dir.resolve("out.csv");
    WmCommandTest.Run r = WmCommandTest.wm("detect", "--key", a.toString(), "--input", in.toString(),
        "--csv", csv.toString());
    assertEquals(WmCommand.EXIT_INPUT, r.code(), r.err());
    assertFalse(Files.exists(csv));
    try (var s = Files.list(dir)) {
      assertEquals(2, s.count(), "only the key and the input: no CSV, no temporary file");
    }
  }
}
