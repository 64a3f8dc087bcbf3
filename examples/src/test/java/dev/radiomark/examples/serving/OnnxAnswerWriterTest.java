package dev.radiomark.examples.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.verify.DetectionResult;
import dev.radiomark.verify.Detector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The answers the fixture script trains the students on: watermarked by the key, or plain. */
class OnnxAnswerWriterTest {
  static final Path ONNX = OnnxServingLoopTest.DIR;
  static final Path KEY = ONNX.resolve("students/test-key.json");

  @TempDir
  Path dir;

  @Test
  void watermarkedAnswersCarryTheKeyAndPlainOnesDoNot() throws Exception {
    Path prompts = Files.writeString(dir.resolve("p.jsonl"),
        "{\"prompt_tokens\":[3,4,5,6]}\n\n{\"prompt_tokens\":[10,11,12,13]}\n{\"prompt_tokens\":[7,8,9,20]}\n");
    String[] common = {"--model", ONNX.resolve("tiny-gpt-kv.onnx").toString(), "--prompts", prompts.toString(),
        "--max-new", "60", "--seed", "5"};
    Path wm = dir.resolve("wm.jsonl");
    Path wm2 = dir.resolve("wm2.jsonl");
    Path plain = dir.resolve("plain.jsonl");
    OnnxAnswerWriter.run(concat(common, "--key", KEY.toString(), "--out", wm.toString()));
    OnnxAnswerWriter.run(concat(common, "--key", KEY.toString(), "--out", wm2.toString()));
    OnnxAnswerWriter.run(concat(common, "--plain", "--out", plain.toString()));
    assertEquals(Files.readString(wm), Files.readString(wm2), "the same seed writes the same answers");

    Watermarker w = KeyFiles.read(KEY).watermarker();
    DetectionResult marked = detect(w, wm);
    DetectionResult unmarked = detect(w, plain);
    // 180 tokens at gamma 0.25, delta 3: a watermarked text shows far below 1e-4; the plain
    // answers (fixed seed) would fail by chance with probability at most 1e-3.
    assertTrue(marked.log10P() < -4, "watermarked answers: " + marked.log10P());
    assertTrue(unmarked.log10P() > -3, "plain answers: " + unmarked.log10P());
  }

  @Test
  void badInputIsAClearErrorAndWritesNothing() throws Exception {
    Path out = dir.resolve("out.jsonl");
    Path model = ONNX.resolve("tiny-gpt-kv.onnx");
    Path big = Files.writeString(dir.resolve("big.jsonl"), "{\"prompt_tokens\":[3]}\n{\"prompt_tokens\":[3,1024]}\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxAnswerWriter.run(new String[] {
        "--model", model.toString(), "--prompts", big.toString(), "--max-new", "4", "--seed", "1", "--plain",
        "--out", out.toString()}));
    assertTrue(e.getMessage().contains("big.jsonl: prompt 2: prompt_tokens[1] = 1024"), e.getMessage());
    Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"prompt_tokens\":[3]}\n{\"prompt\":\"x\"}\n");
    e = assertThrows(IllegalArgumentException.class, () -> OnnxAnswerWriter.run(new String[] {
        "--model", model.toString(), "--prompts", bad.toString(), "--max-new", "4", "--seed", "1", "--plain",
        "--out", out.toString()}));
    assertTrue(e.getMessage().contains("bad.jsonl line 2: no non-empty \"prompt_tokens\" array"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OnnxAnswerWriter.run(new String[] {
        "--model", model.toString(), "--prompts", bad.toString(), "--max-new", "64", "--seed", "x", "--plain",
        "--out", out.toString()}));
    assertTrue(e.getMessage().contains("--seed is not an integer: x"), e.getMessage());
    assertFalse(Files.exists(out));
  }

  private static DetectionResult detect(Watermarker w, Path answers) throws Exception {
    Detector.Tape tape = Detector.of(w).newTape();
    List<String> lines = Files.readAllLines(answers);
    assertEquals(3, lines.size());
    ObjectMapper json = new ObjectMapper();
    int[] firsts = new int[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      JsonNode n = json.readTree(lines.get(i));
      int[] prompt = json.convertValue(n.get("prompt_tokens"), int[].class);
      int[] answer = json.convertValue(n.get("tokens"), int[].class);
      assertEquals(60, answer.length);
      firsts[i] = prompt[0];
      tape.add(prompt, answer, null, null);
    }
    assertArrayEquals(new int[] {3, 10, 7}, firsts, "the prompts, in input order, blank lines skipped");
    return tape.result();
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
