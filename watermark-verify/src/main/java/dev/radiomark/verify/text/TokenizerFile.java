package dev.radiomark.verify.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The identity of a tokenizer loaded from a file, as recorded in a key's {@code tokenizer} field:
 * {@code KIND:FILE@sha256:HEX}, or {@code KIND:FILE@sha256:HEX;split-sha256:HEX} when a
 * tiktoken file is split with a pattern other than the default. KIND is {@code hf} or
 * {@code tiktoken}, FILE the file's name (without its directory), the first HEX the 64 lowercase
 * hex digits of the SHA-256 of the file's bytes, the second the SHA-256 of the split pattern's
 * UTF-8. Two identities are the same tokenizer when their kind and fingerprint (everything after
 * the '@') are equal: a renamed copy of the same file is the same tokenizer.
 */
final class TokenizerFile {
  static final String HF = "hf";
  static final String TIKTOKEN = "tiktoken";
  private static final String AT = "@sha256:";

  /** Largest tokenizer file read, 1 GiB: far above real ones (Llama 3's tokenizer.json is 9 MB). */
  static final long MAX_BYTES = 1L << 30;

  private TokenizerFile() {}

  /** The kind of a tokenizer name or identity ({@code hf}, {@code tiktoken}), or null for any other name. */
  static String kind(String name) {
    if (name.startsWith(HF + ":")) {
      return HF;
    }
    if (name.startsWith(TIKTOKEN + ":")) {
      return TIKTOKEN;
    }
    return null;
  }

  /** The identity of a file's tokenizer: kind, file name and fingerprint (the hex after {@code @sha256:}). */
  static String identity(String kind, Path file, String fingerprint) {
    Path name = file.getFileName();
    return kind + ":" + (name == null ? file.toString() : name.toString()) + AT + fingerprint;
  }

  /**
   * What decides whether two names are the same tokenizer: for file identities the kind and the
   * fingerprint (the file name is left out), for any other name the name itself.
   */
  static String sameness(String name) {
    String kind = kind(name);
    int at = name.lastIndexOf(AT);
    return kind == null || at < 0 ? name : kind + name.substring(at);
  }

  /** Whether a name is a recorded file identity (it carries a fingerprint), not a path to load. */
  static boolean isIdentity(String name) {
    return kind(name) != null && name.lastIndexOf(AT) > 0;
  }

  /** Reads a tokenizer file whole; errors name the file. */
  static byte[] read(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new IllegalArgumentException(file + ": is a directory, not a tokenizer file");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s: tokenizer file is larger than %d bytes: %d", file, MAX_BYTES, size));
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException(file + ": cannot read tokenizer file: no such file", e);
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException(file + ": cannot read tokenizer file: permission denied", e);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read tokenizer file: " + e.getMessage(), e);
    }
  }

  /** SHA-256 as 64 lowercase hex digits. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  static String sha256(String s) {
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }
}
