package dev.radiomark.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.WatermarkSpec;
import dev.radiomark.examples.TestKeys;
import dev.radiomark.key.KeyFile;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.key.WatermarkKey;
import dev.radiomark.ledger.ServedWindowLedger;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.cli.WmCommand;
import dev.radiomark.verify.text.TextTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
  @TempDir Path dir;

  private int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = WmCommand.commandLine(new GenerateCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void answersAreWatermarkedUnderTheKey() throws Exception {
    Path key = dir.resolve("k.json");
    KeyFile kf = new KeyFile(TestKeys.key("gen", 1),
        WatermarkSpec.greenList("o200k_base", 200_019).withDelta(3).withContextWidth(2));
    KeyFiles.write(key, kf);
    Path prompts = dir.resolve("p.jsonl");
    Files.writeString(prompts, "{\"id\":\"a\",\"text\":\"And God said\"}\n{\"text\":\"In the beginning\"}\n"
        + "{\"text\":\"And the LORD spake unto Moses\"}\n{\"text\":\"Blessed are the\"}\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "generate", "--key", key.toString(), "--input", prompts.toString(),
        "--max-tokens", "120", "--seed", "5", "--ledger", dir.resolve("l.bin").toString()), err.toString());
    String[] lines = out.toString().split("\n");
    assertEquals(4, lines.length);
    ObjectMapper json = new ObjectMapper();
    TextTokenizer tok = TextTokenizer.o200k();
    Detector.Tape tape = Detector.of(kf.watermarker()).newTape();
    for (String line : lines) {
      JsonNode o = json.readTree(line);
      tape.add(tok.encode(o.get("prompt").asText()), tok.encode(o.get("text").asText()), null, null);
    }
    assertEquals("a", json.readTree(lines[0]).get("id").asText());
    DetectionResult r = tape.result();
    // 480 generated tokens at delta 3, re-tokenized from text: the pooled p-value is tiny.
    assertTrue(r.log10P() < -8, "log10 p " + r.log10P());
    assertTrue(Files.exists(dir.resolve("l.bin")));
    // Ledgers, like keys, stay owner-only (the demo's reports are 0644: DemoTest).
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("l.bin"))));
    assertTrue(!err.toString().contains(java.util.Base64.getEncoder().encodeToString(kf.key().secret())));
  }

  @Test
  void promptsFromAFolderAndAFileInOrderNamedByFile() throws Exception {
    Path key = dir.resolve("f.json");
    KeyFiles.write(key, new KeyFile(WatermarkKey.generate("f"), WatermarkSpec.greenList("o200k_base", 200_019)));
    Path folder = Files.createDirectories(dir.resolve("prompts/sub"));
    Files.writeString(dir.resolve("prompts/b.jsonl"), "{\"text\":\"And God said\"}\n");
    Files.writeString(folder.resolve("a.jsonl"), "{\"id\":\"x\",\"text\":\"In the beginning\"}\n");
    Files.writeString(dir.resolve("prompts/skip.txt"), "not a prompt file");
    Path single = dir.resolve("one.jsonl");
    Files.writeString(single, "{\"text\":\"Blessed are the\"}\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "generate", "--key", key.toString(), "--max-tokens", "5", "--seed", "1",
        "--input", dir.resolve("prompts").toString(), single.toString()), err.toString());
    ObjectMapper json = new ObjectMapper();
    List<String> ids = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      ids.add(json.readTree(line).get("id").asText());
    }
    // b.jsonl before sub/a.jsonl ("b" < "s"); explicit ids kept, the others FILE:LINE.
    assertEquals(List.of(dir.resolve("prompts/b.jsonl") + ":1", "x", single + ":1"), ids);
    assertTrue(err.toString().contains("3 answers of 5 tokens"), err.toString());
  }

  @Test
  void keyOfAnotherTokenizerIsAKeyError() throws Exception {
    Path key = dir.resolve("c.json");
    KeyFiles.write(key, new KeyFile(WatermarkKey.generate("c"), WatermarkSpec.greenList("cl100k_base", 100_277)));
    Path prompts = dir.resolve("p.jsonl");
    Files.writeString(prompts, "{\"text\":\"x\"}\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(WmCommand.EXIT_KEY, run(out, err, "generate", "--key", key.toString(), "--input", prompts.toString()));
    assertTrue(err.toString().contains("tokenizer mismatch"), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void malformedPromptLineIsAnInputError() throws Exception {
    Path key = dir.resolve("m.json");
    KeyFiles.write(key, new KeyFile(WatermarkKey.generate("m"), WatermarkSpec.greenList("o200k_base", 200_019)));
    Path prompts = dir.resolve("p.jsonl");
    Files.writeString(prompts, "{\"text\":\"ok\"}\n{\"text\": 3}\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(WmCommand.EXIT_INPUT, run(out, err, "generate", "--key", key.toString(), "--input", prompts.toString()));
    assertTrue(err.toString().contains(":2:"), err.toString());
    assertEquals("", out.toString());
  }

  /** Before: a second run replaced the ledger (512 recorded windows became 128). */
  @Test
  void anExistingLedgerOnlyGrows() throws Exception {
    Path key = dir.resolve("g.json");
    KeyFile kf = new KeyFile(WatermarkKey.generate("g"), WatermarkSpec.greenList("o200k_base", 200_019));
    KeyFiles.write(key, kf);
    Path prompts = dir.resolve("p.jsonl");
    Files.writeString(prompts, "{\"text\":\"And God said\"}\n{\"text\":\"In the beginning\"}\n");
    Path one = dir.resolve("one.jsonl");
    Files.writeString(one, "{\"text\":\"Blessed are the\"}\n");
    Path ledger = dir.resolve("l.bin");
    StringWriter err = new StringWriter();
    assertEquals(0, run(new StringWriter(), err, "generate", "--key", key.toString(), "--input", prompts.toString(),
        "--max-tokens", "64", "--seed", "1", "--ledger", ledger.toString()), err.toString());
    ServedWindowLedger first = ServedWindowLedger.load(ledger);
    assertEquals(128, first.recordedWindows());
    assertEquals(0, run(new StringWriter(), err, "generate", "--key", key.toString(), "--input", one.toString(),
        "--max-tokens", "64", "--seed", "2", "--ledger", ledger.toString()), err.toString());
    ServedWindowLedger second = ServedWindowLedger.load(ledger);
    assertEquals(192, second.recordedWindows());
    assertTrue(second.distinctWindows() > first.distinctWindows());
    assertTrue(err.toString().contains("ledger " + ledger + ": added "), err.toString());

    Path other = dir.resolve("o.json");
    KeyFiles.write(other, new KeyFile(WatermarkKey.generate("g"), kf.spec()));
    byte[] before = Files.readAllBytes(ledger);
    StringWriter out = new StringWriter();
    StringWriter err2 = new StringWriter();
    assertEquals(WmCommand.EXIT_KEY, run(out, err2, "generate", "--key", other.toString(), "--input", one.toString(),
        "--ledger", ledger.toString()));
    assertTrue(err2.toString().contains(ledger + ": ledger of key g (fingerprint " + kf.key().fingerprint()), err2.toString());
    assertEquals("", out.toString());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(ledger)));
  }

  @Test
  void emptyInputAnswersNothing() throws Exception {
    Path key = dir.resolve("e.json");
    KeyFiles.write(key, new KeyFile(WatermarkKey.generate("e"), WatermarkSpec.greenList("o200k_base", 200_019)));
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "generate", "--key", key.toString(), "--input", empty.toString()), err.toString());
    assertEquals("", out.toString());
  }
}
