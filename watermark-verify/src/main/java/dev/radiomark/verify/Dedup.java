package dev.radiomark.verify;

/**
 * Which repeats a detector skips. Under H0 a repeated (window, token) tuple always gets the same
 * score, so counting it again is not new evidence and breaks the exact null.
 */
public enum Dedup {
  /** Score each distinct (tuple seed, token) once: the default. */
  TUPLE,
  /**
   * Score each distinct window once, and each tuple once (stricter: at most one token per
   * window; under self-seeding two new windows can share a tuple, which is still skipped).
   */
  WINDOW,
  /**
   * Score every position. Invalid for p-values on real text; exists to show, in tests and
   * calibration, what goes wrong without de-duplication.
   */
  NONE
}
