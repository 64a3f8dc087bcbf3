package dev.radiomark.verify.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many inputs, folders read recursively in a stable order, and plain text streamed line by line. */
class InputFilesTest {
  @TempDir
  Path dir;

  private Path touch(String rel) throws Exception {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "x");
    return p;
  }

  @Test
  void foldersAreReadRecursivelyInSortedOrderForTheirSuffix() throws Exception {
    // Created out of order: the listing must not depend on creation or directory order.
    touch("data/b.jsonl");
    touch("data/a/z.jsonl");
    touch("data/a/y.txt");
    touch("data/.hidden.jsonl");
    touch("data/.cache/c.jsonl");
    touch("data/A.jsonl");
    Path single = touch("other.txt");
    Path data = dir.resolve("data");
    List<String> got = InputFiles.expand(List.of(single.toString(), data.toString(), "-"), ".jsonl");
    assertEquals(List.of(single.toString(), data.resolve("A.jsonl").toString(), data.resolve("a/z.jsonl").toString(),
        data.resolve("b.jsonl").toString(), "-"), got);
    assertEquals(List.of(data.resolve("a/y.txt").toString()), InputFiles.expand(List.of(data.toString()), ".txt"));
  }

  @Test
  void aFileReachedTwiceIsReadOnce() throws Exception {
    Path f = touch("d/x.jsonl");
    Path d = dir.resolve("d");
    assertEquals(List.of(f.toString()), InputFiles.expand(List.of(f.toString(), d.toString(), f.toString()), ".jsonl"));
  }

  @Test
  void missingInputsEmptyFoldersAndStdinTwiceAreRefusedByName() throws Exception {
    Path missing = dir.resolve("missing.jsonl");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> InputFiles.expand(List.of(missing.toString()), ".jsonl"));
    assertEquals(missing + ": no such file", e.getMessage());
    touch("e/only.txt");
    Path e2 = dir.resolve("e");
    e = assertThrows(UncheckedIOException.class, () -> InputFiles.expand(List.of(e2.toString()), ".jsonl"));
    assertEquals(e2 + ": folder has no input file (*.jsonl, not hidden)", e.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> InputFiles.expand(List.of("-", "-"), ".jsonl"));
    assertTrue(twice.getMessage().contains("given twice"), twice.getMessage());
  }

  private static List<TextRecord> stream(String text, boolean paragraphs) throws Exception {
    List<TextRecord> out = new ArrayList<>();
    PlainTextReader.forEach("in.txt", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), paragraphs, out::add);
    return out;
  }

  private static List<TextRecord> whole(String text, boolean paragraphs) throws Exception {
    TextRecord w = PlainTextReader.read("in.txt", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    return PlainTextReader.split(w, paragraphs);
  }

  @Test
  void streamingGivesTheSameRecordsAsReadingTheWholeFile() throws Exception {
    List<String> cases = new ArrayList<>(List.of("", "\n", "one", "one\n", "\uFEFFbom first\nsecond\r\n",
        "first line\r\nsecond line\n\n  \nthird\nfourth\r\n\n\nfifth", " \t\n\n a \n b\n\n"));
    // Random texts over an alphabet rich in line ends and blanks (fixed seed: deterministic).
    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(20261202L);
    String alphabet = "ab \t\r\n\n\u00e9\u4e2d";
    for (int c = 0; c < 500; c++) {
      StringBuilder b = new StringBuilder();
      int n = rng.nextInt(40);
      for (int i = 0; i < n; i++) {
        b.append(alphabet.charAt(rng.nextInt(alphabet.length())));
      }
      cases.add(b.toString());
    }
    for (String t : cases) {
      for (boolean paragraphs : new boolean[] {false, true}) {
        List<TextRecord> a = stream(t, paragraphs);
        List<TextRecord> b = whole(t, paragraphs);
        assertEquals(b.stream().map(TextRecord::text).toList(), a.stream().map(TextRecord::text).toList(),
            "paragraphs=" + paragraphs + " text=" + t.replace("\n", "\\n").replace("\r", "\\r"));
        assertEquals(b.stream().map(TextRecord::id).toList(), a.stream().map(TextRecord::id).toList());
        assertEquals(b.stream().map(TextRecord::lineNumber).toList(), a.stream().map(TextRecord::lineNumber).toList());
      }
    }
  }

  @Test
  void invalidUtf8NamesTheLineAndByte() {
    byte[] bad = "ok\nab\u00e9\n".getBytes(StandardCharsets.UTF_8);
    bad[bad.length - 2] = (byte) 0x41; // second byte of the e-acute replaced: a truncated sequence
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> PlainTextReader.forEach("in.txt", new ByteArrayInputStream(bad), false, r -> { }));
    assertEquals(2, e.lineNumber());
    assertTrue(e.getMessage().startsWith("in.txt:2: invalid UTF-8 at byte 2 of the line"), e.getMessage());
  }
}
