/**
 * The {@code wm} command line: {@code keygen}, {@code detect} and {@code calibrate}, built with
 * picocli. {@link dev.radiomark.verify.cli.WmCommand} documents the synopsis and the exit codes
 * and lets other modules add subcommands; {@link dev.radiomark.verify.cli.WmException} carries an
 * exit code from a subcommand to the user as one line on stderr. Results are JSON on stdout,
 * written only on success; secrets are never printed.
 */
package dev.radiomark.verify.cli;
