package dev.radiomark.verify.radioactivity;

import dev.radiomark.verify.Claim;
import java.util.Locale;

/** Which radioactivity test produced a result. */
public enum Mode {
  /** Only the suspect's outputs are available: {@link ClosedModelTest}. */
  CLOSED,
  /** The suspect's weights are available: {@link ReadingModeTest}. */
  READING;

  /**
   * The name used in reports and on the command line.
   *
   * @return {@code closed} or {@code reading}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * What a verdict of this mode states: {@link Claim#CLOSED} or {@link Claim#READING}.
   *
   * @return the claim
   */
  public Claim claim() {
    return this == CLOSED ? Claim.CLOSED : Claim.READING;
  }
}
