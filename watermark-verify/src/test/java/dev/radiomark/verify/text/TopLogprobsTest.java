package dev.radiomark.verify.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@code "top_logprobs"} field: read as is, checked and resolved when used. */
class TopLogprobsTest {
  private static TextRecord read(String line) {
    try {
      return JsonlReader.strict("in.jsonl").readAll(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)))
          .records().get(0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void stringsAndIdsResolveToTheKeysTokens() {
    TextTokenizer cl = TextTokenizer.cl100k();
    int the = cl.encode(" the")[0];
    TextRecord r = read("{\"text\":\"Hi there\",\"top_logprobs\":[[{\"token\":\" the\",\"logprob\":-0.5},"
        + "{\"token\":17,\"logprob\":-2}],[{\"token\":5,\"logprob\":0}]]}\n");
    int n = r.textIds(cl, "in.jsonl").length;
    assertEquals(2, n);
    TopLogprobs.Resolved x = r.topLogprobs().resolve(cl, n, "in.jsonl", 1);
    assertEquals(2, x.k());
    assertArrayEquals(new int[] {the, 17, 5, -1}, x.ids());
    assertArrayEquals(new float[] {-0.5f, -2f, 0f, 0f}, x.logProbs());
    InputFormatException e = assertThrows(InputFormatException.class,
        () -> read("{\"text\":\"a\",\"top_logprobs\":[[{\"token\":\" the river\",\"logprob\":-1}]]}\n").topLogprobs()
            .resolve(cl, 1, "in.jsonl", 1));
    assertTrue(e.getMessage().contains("in.jsonl:1") && e.getMessage().contains("is not one token of cl100k_base (2 tokens)"),
        e.getMessage());
    e = assertThrows(InputFormatException.class,
        () -> read("{\"text\":\"a\",\"top_logprobs\":[[{\"token\":\" the\",\"logprob\":-1},{\"token\":" + the
            + ",\"logprob\":-2}]]}\n").topLogprobs().resolve(cl, 1, "in.jsonl", 1));
    assertTrue(e.getMessage().contains("lists token " + the + " twice (entries 0 and 1)"), e.getMessage());
    assertNull(read("{\"text\":\"a\",\"top_logprobs\":null}\n").topLogprobs());
  }
}
