package dev.radiomark.verify.cli;

import dev.radiomark.verify.text.InputFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code wm} command line: {@code keygen}, {@code detect} and {@code calibrate}, plus any
 * subcommands other modules add through {@link #commandLine(Object...)}.
 *
 * <pre>
 * wm keygen    --out FILE [--id NAME] [--tenant NAME ...] [spec options]
 * wm detect    --key FILE [--key FILE ...] --input FILE|DIR|- ... [--format jsonl|text|lines|paragraphs]
 *              [--skip-bad]
 *              [--dedup tuple|window] [--nfc] [--alpha A] [--segments [--min-segment N]]
 *              [--special-token ID ...]
 * wm ledger    info FILE | merge --out FILE IN... | upgrade --key FILE --out FILE IN
 * wm scan      --key FILE [--key FILE ... | --tenants FILE] --input PATH [--format jsonl|parquet]
 *              [--master URL] [--out DIR] [--json FILE] [--pooled-only]   (Spark; docs/spark.md)
 * wm calibrate --input FILE|DIR|- ... --keys N [--key FILE | spec options] [--seed S] [--format jsonl|text]
 *              [--skip-bad] [--dedup tuple|window] [--nfc]         (validity over fresh keys)
 * wm calibrate --input FILE|DIR|- ... --key FILE [--format jsonl|text] [--skip-bad] [--dedup tuple|window]
 *              [--nfc]                                              (validity of this key)
 * spec options: [--scheme green-list|gumbel|tournament] [--tokenizer o200k_base|cl100k_base]
 *              [--gamma G] [--delta D] [--context-width H] [--window-rule ordered|min-hash|self-seeding]
 *              [--layers M]
 * </pre>
 *
 * <p>An empty input (no records) is not an error: every command gives its normal result over
 * zero records and exits 0.
 *
 * <p>Results are one JSON document on stdout, written only when the command succeeds (on any
 * error stdout stays empty); a short human summary goes to stderr. An error is one line on
 * stderr, {@code wm <command>: <message>}, never a stack trace, and one of these exit codes:
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th><th>examples</th></tr>
 *   <tr><td>0</td><td>success</td><td>also {@code --help} and {@code --version}; a detection that
 *       does not fire is still a success</td></tr>
 *   <tr><td>1</td><td>internal error</td><td>a bug: the message ends with "please report"</td></tr>
 *   <tr><td>2</td><td>usage error</td><td>unknown or missing option, bad option value, parameter
 *       out of range ({@code --gamma 1.5}), no subcommand</td></tr>
 *   <tr><td>3</td><td>input error</td><td>malformed JSONL line, invalid UTF-8, unpaired surrogate,
 *       a JSON string over 20,000,000 characters; the message is {@code FILE:LINE: ...}</td></tr>
 *   <tr><td>4</td><td>key error</td><td>key file unreadable, not a key file, unsupported version,
 *       checksum mismatch; ledger damaged, of another version, or of another key fingerprint or spec;
 *       keys with different tokenizers; unknown tokenizer</td></tr>
 *   <tr><td>5</td><td>I/O error</td><td>input missing, unreadable or a directory, output cannot be
 *       written, key file already exists (keygen never overwrites)</td></tr>
 * </table>
 *
 * <p>{@link WmException} lets an added subcommand choose its code; otherwise an
 * {@link InputFormatException} maps to 3, another {@link IllegalArgumentException} to 2, an
 * {@link IOException} or {@link UncheckedIOException} to 5 and anything else to 1.
 */
@Command(name = "wm",
    mixinStandardHelpOptions = true,
    versionProvider = WmCommand.Version.class,
    description = {"Keyed watermarks for LLM output: make keys, detect watermarked text, test whether a "
        + "suspect model was trained on it (verify), calibrate, manage served-window ledgers.", ""},
    footer = {"", "Exit codes: 0 ok, 1 internal error, 2 usage, 3 input, 4 key, 5 I/O."})
public final class WmCommand implements Callable<Integer> {
  /** Exit code: success. */
  public static final int EXIT_OK = 0;
  /** Exit code: unexpected internal error (a bug). */
  public static final int EXIT_INTERNAL = 1;
  /** Exit code: usage error (bad or missing option, out-of-range parameter). */
  public static final int EXIT_USAGE = 2;
  /** Exit code: input error (malformed JSONL line, invalid UTF-8). */
  public static final int EXIT_INPUT = 3;
  /** Exit code: key or ledger error (unreadable, damaged or mismatched key or ledger file, tokenizer mismatch). */
  public static final int EXIT_KEY = 4;
  /** Exit code: I/O error (cannot read or write a file). */
  public static final int EXIT_IO = 5;

  @Spec
  CommandSpec spec;

  private WmCommand() {}

  /**
   * Builds the command line with the built-in subcommands and extra ones, with the error
   * handlers that map failures to the documented exit codes. Option values such as enum names
   * are case-insensitive.
   *
   * @param extraSubcommands picocli {@code @Command} objects or classes to add as subcommands
   *     (for example {@code demo}, {@code generate}, {@code verify})
   * @return a new command line; its out and err writers may be replaced before executing
   */
  public static CommandLine commandLine(Object... extraSubcommands) {
    CommandLine cl = new CommandLine(new WmCommand());
    cl.addSubcommand(new KeygenCommand());
    cl.addSubcommand(new DetectCommand());
    cl.addSubcommand(new CalibrateCommand());
    cl.addSubcommand(new LedgerCommand());
    cl.addSubcommand(new ScanCommand());
    boolean verifyGiven = false;
    for (Object extra : extraSubcommands) {
      verifyGiven |= extra instanceof VerifyCommand;
    }
    if (!verifyGiven) {
      cl.addSubcommand(new VerifyCommand());
    }
    for (Object extra : extraSubcommands) {
      cl.addSubcommand(extra);
    }
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // Help wraps to the terminal (COLUMNS, or the console where picocli can ask it), at least 80
    // columns, never wider than 120; applied after every subcommand is added so each inherits it.
    cl.setUsageHelpWidth(usageWidth(System.getenv("COLUMNS")));
    cl.setUsageHelpLongOptionsMaxWidth(24);
    cl.setExecutionExceptionHandler(WmCommand::onExecutionException);
    cl.setParameterExceptionHandler(WmCommand::onParameterException);
    return cl;
  }

  /** The help width for a terminal of {@code columns} (the COLUMNS variable), in [80, 120]; 80 when unknown. */
  static int usageWidth(String columns) {
    int w = 80;
    if (columns != null) {
      try {
        w = Integer.parseInt(columns.trim());
      } catch (NumberFormatException e) {
        w = 80;
      }
    }
    return Math.max(80, Math.min(120, w));
  }

  /**
   * Runs the command line on {@code System.out} and {@code System.err}.
   *
   * @param args the arguments
   * @param extraSubcommands subcommands to add, as for {@link #commandLine(Object...)}
   * @return the exit code (see the class documentation)
   */
  public static int run(String[] args, Object... extraSubcommands) {
    return commandLine(extraSubcommands).execute(args);
  }

  /**
   * Runs {@code wm} and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Without a subcommand: a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: one of "
        + String.join(", ", spec.subcommands().keySet()));
  }

  private static int onParameterException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    String msg = oneLine(ex.getMessage());
    cmd.getErr().println(name + ": " + msg + " (see '" + name + " --help')");
    cmd.getErr().flush();
    return EXIT_USAGE;
  }

  private static int onExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    int code;
    String msg;
    if (ex instanceof WmException w) {
      code = w.exitCode();
      msg = w.getMessage();
    } else if (ex instanceof ParameterException p) {
      return onParameterException(p, new String[0]);
    } else if (ex instanceof InputFormatException) {
      code = EXIT_INPUT;
      msg = ex.getMessage();
    } else if (ex instanceof IllegalArgumentException) {
      code = EXIT_USAGE;
      msg = ex.getMessage();
    } else if (ex instanceof UncheckedIOException u) {
      code = EXIT_IO;
      msg = u.getCause() != null && u.getMessage() == null ? Cli.ioMessage(u.getCause()) : u.getMessage();
    } else if (ex instanceof IOException io) {
      code = EXIT_IO;
      msg = Cli.ioMessage(io);
    } else {
      code = EXIT_INTERNAL;
      msg = String.format(Locale.ROOT, "internal error: %s: %s; please report this with the command line used",
          ex.getClass().getName(), ex.getMessage());
    }
    err.println(name + ": " + oneLine(msg));
    err.flush();
    return code;
  }

  private static String oneLine(String s) {
    return s == null ? "(no message)" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  /** The version of the build ({@code version.properties}, filtered by Maven). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      java.util.Properties p = new java.util.Properties();
      try (java.io.InputStream in = WmCommand.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"wm (Radiomark) " + p.getProperty("version", "unknown version"),
          "Java " + System.getProperty("java.version")};
    }
  }
}
