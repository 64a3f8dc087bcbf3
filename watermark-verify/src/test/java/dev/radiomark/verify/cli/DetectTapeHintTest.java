package dev.radiomark.verify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wm detect} sizes its tapes from the input files' bytes, capped, and not for stdin. */
class DetectTapeHintTest {
  @TempDir
  Path dir;

  @Test
  void hintIsTheInputBytesOverFourCapped() throws Exception {
    Path a = dir.resolve("a.jsonl");
    Path sub = Files.createDirectory(dir.resolve("more"));
    Path b = sub.resolve("b.jsonl");
    Files.write(a, new byte[4_000]);
    Files.write(b, new byte[1_203]);
    Files.write(sub.resolve("ignored.txt"), new byte[100_000]);
    assertEquals((4_000 + 1_203) / DetectCommand.BYTES_PER_TOKEN,
        DetectCommand.tapeHint(List.of(a.toString(), sub.toString()), Cli.Format.JSONL));
    assertEquals(0, DetectCommand.tapeHint(List.of(a.toString(), "-"), Cli.Format.JSONL));
    assertEquals(0, DetectCommand.tapeHint(List.of(dir.resolve("missing.jsonl").toString()), Cli.Format.JSONL));
    assertEquals(0, DetectCommand.tapeHint(0));
    assertEquals(DetectCommand.MAX_TAPE_HINT, DetectCommand.tapeHint(1L << 40));
    assertEquals(DetectCommand.MAX_TAPE_HINT, DetectCommand.tapeHint(DetectCommand.MAX_TAPE_HINT * DetectCommand.BYTES_PER_TOKEN));
  }
}
