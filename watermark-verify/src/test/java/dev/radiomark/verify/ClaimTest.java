package dev.radiomark.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The sentences say exactly what each test shows, and no more. */
class ClaimTest {
  private static final List<String> K = List.of("acme");

  @Test
  void closedModeFlaggedIncludesCopying() {
    String s = Claim.CLOSED.sentence(Verdict.FLAGGED, K, 1e-6);
    assertEquals("the suspect's outputs carry our watermark (key acme) beyond chance (corrected p <= alpha = 1.0E-6)"
        + ": consistent with training on, or copying of, text we served", s);
  }

  @Test
  void readingModeFlaggedSpeaksOfPredictionsOnOurText() {
    String s = Claim.READING.sentence(Verdict.FLAGGED, K, 1e-6);
    assertTrue(s.startsWith("the suspect's predictions on our watermarked text carry our watermark (key acme) beyond chance"), s);
    assertTrue(s.endsWith(": consistent with training on text we served"), s);
  }

  @Test
  void detectFlaggedNamesTheKeysAndAlpha() {
    assertEquals("the text carries the watermark of keys a, b beyond chance (corrected p <= alpha = 0.001)",
        Claim.DETECT.sentence(Verdict.FLAGGED, List.of("a", "b"), 1e-3));
  }

  @Test
  void noSentenceClaimsLearningOrInnocence() {
    for (Claim c : Claim.values()) {
      for (Verdict v : Verdict.values()) {
        String s = c.sentence(v, K, 1e-6).toLowerCase(Locale.ROOT);
        assertFalse(s.contains("learn"), s);
        assertFalse(s.contains("innocent") || s.contains("clean"), s);
        assertTrue(s.contains("alpha = 1.0e-6"), s);
      }
      assertTrue(c.sentence(Verdict.NOT_FLAGGED, K, 1e-6).startsWith("no evidence at alpha = 1.0E-6 that "));
      assertTrue(c.sentence(Verdict.NOT_FLAGGED, K, 1e-6).contains("; it does not show that "));
      assertTrue(c.sentence(Verdict.INCONCLUSIVE, K, 1e-6).startsWith("too few tuples scored to decide"));
      assertTrue(c.sentence(Verdict.INCONCLUSIVE, K, 1e-6).endsWith("nothing is claimed either way"));
    }
  }

  @Test
  void needsAKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Claim.DETECT.sentence(Verdict.FLAGGED, List.of(), 0.01));
    assertEquals("keyIds is empty", e.getMessage());
  }
}
