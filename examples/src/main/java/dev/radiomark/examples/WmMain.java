package dev.radiomark.examples;

import dev.radiomark.examples.demo.DemoCommand;
import dev.radiomark.examples.demo.GenerateCommand;
import dev.radiomark.examples.evaluate.EvaluateCommand;
import dev.radiomark.verify.cli.WmCommand;

/**
 * Main class of {@code wm.jar}, run by the {@code ./wm} launcher: the {@code wm} command line of
 * watermark-verify plus this module's {@code demo} and {@code generate}.
 */
public final class WmMain {
  private WmMain() {}

  /**
   * Runs {@code wm} and exits with its code (see {@link WmCommand} for the exit codes).
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(WmCommand.run(args, new DemoCommand(), new GenerateCommand(), new EvaluateCommand()));
  }
}
