package dev.radiomark.examples;

import dev.radiomark.verify.cli.WmCommand;

/**
 * Main class of {@code wm.jar}, run by the {@code ./wm} launcher: the {@code wm} command line of
 * watermark-verify, to which this module adds its own subcommands.
 */
public final class WmMain {
  private WmMain() {}

  /**
   * Runs {@code wm} and exits with its code (see {@link WmCommand} for the exit codes).
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(WmCommand.run(args));
  }
}
