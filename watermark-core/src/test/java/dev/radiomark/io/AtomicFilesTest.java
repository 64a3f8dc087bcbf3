package dev.radiomark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir
  Path dir;

  private long entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  private static AtomicFiles.Content text(String s) {
    return out -> out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aFailedReplaceLeavesTheOldFileAndNoTemporary() throws IOException {
    Path p = dir.resolve("ledger.bin");
    AtomicFiles.replace(p, text("old"));
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.replace(p, out -> {
      out.write(new byte[100_000]);
      throw new IOException("disk full");
    }));
    assertEquals(p + ": disk full", e.getMessage());
    assertEquals("old", Files.readString(p));
    assertEquals(1, entries());
    AtomicFiles.replace(p, text("new"));
    assertEquals("new", Files.readString(p));
    assertEquals(1, entries());
  }

  @Test
  void createAllPublishesAllOrNoneAndNamesTheTarget() throws IOException {
    Map<Path, AtomicFiles.Content> files = new LinkedHashMap<>();
    files.put(dir.resolve("a"), text("a"));
    files.put(dir.resolve("b"), text("b"));
    Files.writeString(dir.resolve("b"), "precious");
    IOException e = assertThrows(FileAlreadyExistsException.class, () -> AtomicFiles.createAll(files, true));
    assertTrue(e.getMessage().startsWith(dir.resolve("b").toString()), e.getMessage());
    assertEquals(1, entries());
    Files.delete(dir.resolve("b"));
    files.put(dir.resolve("no/c"), text("c"));
    e = assertThrows(IOException.class, () -> AtomicFiles.createAll(files, true));
    assertEquals(dir.resolve("no/c") + ": directory does not exist: " + dir.resolve("no"), e.getMessage());
    assertEquals(0, entries());
    files.remove(dir.resolve("no/c"));
    AtomicFiles.createAll(files, true);
    assertEquals("b", Files.readString(dir.resolve("b")));
    assertEquals(2, entries());
  }
}
