package dev.radiomark.verify.report;

import dev.radiomark.Watermarker;
import dev.radiomark.verify.Dedup;
import dev.radiomark.verify.Detector;
import dev.radiomark.verify.DetectorConfig;
import java.util.Arrays;
import java.util.List;

/**
 * Colours a document's tokens under one key, as its own test scored them ({@link Detector#mask}):
 * green (a hit), red (scored, no hit), or unscored for a reason. Reasons: special (a special token
 * id), repeat (scored if tuples were not de-duplicated: a tuple already scored in this document),
 * prompt (everything else: the window or tuple appears in the prompt, or no full window precedes
 * the token). Runs only for the few documents a report shows.
 */
final class TokenPainter {
  static final byte GREEN = 0;
  static final byte RED = 1;
  static final byte PROMPT = 2;
  static final byte REPEAT = 3;
  static final byte SPECIAL = 4;
  static final int KINDS = 5;
  /** CSS class per kind. */
  static final String[] CSS = {"g", "r", "up", "ur", "us"};
  /** Tooltip per kind. */
  static final String[] TITLE = {null, null, "unscored: prompt or no full window", "unscored: repeat",
      "unscored: special token"};

  private final Detector[] detectors;
  private final Detector[] noDedup;
  private final int[] special;

  TokenPainter(List<Watermarker> keys, DetectorConfig config, int[] specialTokens) {
    detectors = new Detector[keys.size()];
    noDedup = new Detector[keys.size()];
    for (int i = 0; i < detectors.length; i++) {
      detectors[i] = Detector.of(keys.get(i), config);
      noDedup[i] = Detector.of(keys.get(i), config.withDedup(Dedup.NONE));
    }
    special = specialTokens.clone();
    Arrays.sort(special);
  }

  /**
   * The kind of each text token under key {@code key}.
   *
   * @return one of {@link #GREEN}, {@link #RED}, {@link #PROMPT}, {@link #REPEAT}, {@link #SPECIAL} per token
   */
  byte[] paint(int key, int[] prompt, int[] text) {
    double[] scores = new double[text.length];
    detectors[key].newTape().add(prompt, text, null, scores);
    byte[] mask = detectors[key].mask(scores);
    double[] all = null;
    byte[] kind = new byte[text.length];
    for (int i = 0; i < text.length; i++) {
      if (mask[i] == Detector.SCORED_HIT) {
        kind[i] = GREEN;
      } else if (mask[i] == Detector.SCORED) {
        kind[i] = RED;
      } else if (Arrays.binarySearch(special, text[i]) >= 0) {
        kind[i] = SPECIAL;
      } else {
        if (all == null) {
          all = new double[text.length];
          noDedup[key].newTape().add(prompt, text, null, all);
        }
        kind[i] = Double.isNaN(all[i]) ? PROMPT : REPEAT;
      }
    }
    return kind;
  }
}
