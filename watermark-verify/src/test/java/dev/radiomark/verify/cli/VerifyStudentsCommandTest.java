package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.radiomark.Watermarker;
import dev.radiomark.key.KeyFiles;
import dev.radiomark.verify.onnx.OnnxCausalLm;
import dev.radiomark.verify.onnx.OnnxStudentsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wm verify --mode reading --model FILE.onnx} on the fixture's transformer students (see
 * {@link OnnxStudentsTest}): with the test key and the teacher's watermarked answers as probes
 * (token ids), the student fine-tuned on watermarked answers is flagged, the control student and
 * the teacher are not_flagged. Seeds are fixed, so the verdicts are deterministic; with random
 * seeds, each innocent model would be flagged with probability at most alpha = 1e-6.
 */
class VerifyStudentsCommandTest {
  private static final Path ONNX = Path.of("src/test/resources/onnx");
  private static final Path KEY = ONNX.resolve("students/test-key.json");

  @TempDir
  Path dir;

  @Test
  void theWatermarkedStudentIsFlaggedAndTheControlsAreNot() throws Exception {
    Watermarker wm = KeyFiles.read(KEY).watermarker();
    List<int[]> probes;
    try (OnnxCausalLm teacher = OnnxCausalLm.open(ONNX.resolve("tiny-gpt-kv.onnx"),
        OnnxCausalLm.Options.defaults().withThreads(1))) {
      probes = OnnxStudentsTest.probes(teacher, wm, OnnxStudentsTest.PROBES, 7L);
    }
    StringBuilder in = new StringBuilder();
    for (int[] p : probes) {
      in.append("{\"tokens\":").append(Arrays.toString(p)).append("}\n");
    }
    Path input = Files.writeString(dir.resolve("probes.jsonl"), in);
    String[][] expected = {
        {"students/student-wm.onnx", "flagged"},
        {"students/student-plain.onnx", "not_flagged"},
        {"tiny-gpt.onnx", "not_flagged"}};
    for (String[] e : expected) {
      WmCommandTest.Run r = WmCommandTest.wm("verify", "--key", KEY.toString(), "--mode", "reading",
          "--model", ONNX.resolve(e[0]).toString(), "--input", input.toString(), "--chunk", "64");
      assertEquals(0, r.code(), r.err());
      JsonNode doc = new ObjectMapper().readTree(r.out());
      assertEquals(e[1], doc.get("verdict").asText(), e[0] + ": " + r.out());
      assertTrue(doc.get("results").get(0).get("tuples_scored").asLong() > 500, r.out());
    }
  }
}
