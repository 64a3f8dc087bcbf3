package dev.radiomark.verify.cli;

import java.util.Locale;

/**
 * A user-facing failure of a {@code wm} subcommand with its exit code. The message is printed as
 * one line on stderr, prefixed with the command name, and never with a stack trace; it must not
 * contain key material.
 *
 * <p>Subcommands contributed by other modules throw it to get the documented exit codes of
 * {@link WmCommand}.
 */
public final class WmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private WmException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /**
   * A failure with an explicit exit code.
   *
   * @param exitCode one of the {@code WmCommand.EXIT_*} codes, in [1, 125]
   * @param message one line for the user
   * @return the exception
   * @throws IllegalArgumentException if the exit code is out of range
   */
  public static WmException of(int exitCode, String message) {
    return of(exitCode, message, null);
  }

  /**
   * A failure with an explicit exit code and a cause (kept for debugging, never printed).
   *
   * @param exitCode one of the {@code WmCommand.EXIT_*} codes, in [1, 125]
   * @param message one line for the user
   * @param cause the underlying exception, or null
   * @return the exception
   * @throws IllegalArgumentException if the exit code is out of range
   */
  public static WmException of(int exitCode, String message, Throwable cause) {
    if (exitCode < 1 || exitCode > 125) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "exitCode is not in [1, 125]: %d", exitCode));
    }
    return new WmException(exitCode, message, cause);
  }

  /**
   * A usage error (exit code {@value WmCommand#EXIT_USAGE}).
   *
   * @param message one line for the user
   * @return the exception
   */
  public static WmException usage(String message) {
    return new WmException(WmCommand.EXIT_USAGE, message, null);
  }

  /**
   * A key error (exit code {@value WmCommand#EXIT_KEY}).
   *
   * @param message one line for the user
   * @param cause the underlying exception, or null
   * @return the exception
   */
  public static WmException key(String message, Throwable cause) {
    return new WmException(WmCommand.EXIT_KEY, message, cause);
  }

  /**
   * An I/O error (exit code {@value WmCommand#EXIT_IO}).
   *
   * @param message one line for the user
   * @param cause the underlying exception, or null
   * @return the exception
   */
  public static WmException io(String message, Throwable cause) {
    return new WmException(WmCommand.EXIT_IO, message, cause);
  }

  /**
   * The process exit code for this failure.
   *
   * @return the exit code
   */
  public int exitCode() {
    return exitCode;
  }
}
