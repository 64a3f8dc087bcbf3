package dev.radiomark.verify.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain text as one text per line or per paragraph, each named by its first line. */
class PlainTextSplitTest {
  private static final TextRecord WHOLE =
      new TextRecord(1, "in.txt", null, "first line\r\nsecond line\n\n  \nthird\nfourth\r\n\n\nfifth");

  @Test
  void lines() {
    List<TextRecord> r = PlainTextReader.split(WHOLE, false);
    assertEquals(List.of("first line", "second line", "third", "fourth", "fifth"), r.stream().map(TextRecord::text).toList());
    assertEquals(List.of("in.txt:1", "in.txt:2", "in.txt:5", "in.txt:6", "in.txt:9"), r.stream().map(TextRecord::id).toList());
    assertEquals(5, r.get(2).lineNumber());
  }

  @Test
  void paragraphs() {
    List<TextRecord> r = PlainTextReader.split(WHOLE, true);
    assertEquals(List.of("first line\r\nsecond line", "third\nfourth", "fifth"), r.stream().map(TextRecord::text).toList());
    assertEquals(List.of("in.txt:1", "in.txt:5", "in.txt:9"), r.stream().map(TextRecord::id).toList());
    assertEquals(0, PlainTextReader.split(new TextRecord(1, "e", null, "\n \n"), true).size());
  }
}
