package dev.radiomark.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Atomic, durable file writes: the content goes to a temporary file in the target's directory,
 * which is forced to the device ({@link FileChannel#force}) and then published by a rename (or,
 * for files that must never be replaced, a hard link); the directory is then forced where the
 * platform allows it. Readers see either no file, the old file or the complete new file.
 *
 * <p>Every {@link IOException} thrown has a one-line message that starts with the target file
 * ({@code "TARGET: reason"}), never a temporary file.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the content of one file. */
  @FunctionalInterface
  public interface Content {
    /**
     * Writes the whole content.
     *
     * @param out the stream of the temporary file; do not close it
     * @throws IOException if writing fails
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} atomically and durably, replacing it if it exists.
   *
   * @param target the file
   * @param content its content
   * @throws IOException if the file cannot be written; the target is then unchanged and no
   *     temporary file is left behind
   */
  public static void replace(Path target, Content content) throws IOException {
    try {
      replace0(target, content, null);
    } catch (IOException e) {
      throw named(target, e);
    }
  }

  /**
   * As {@link #replace}, for files meant to be shared (reports, tables): the new file is
   * readable by everyone, permissions 0644 where POSIX permissions exist.
   *
   * @param target the file
   * @param content its content
   * @throws IOException if the file cannot be written; the target is then unchanged and no
   *     temporary file is left behind
   */
  public static void replaceShared(Path target, Content content) throws IOException {
    try {
      replace0(target, content, "rw-r--r--");
    } catch (IOException e) {
      throw named(target, e);
    }
  }

  private static void replace0(Path target, Content content, String permissions) throws IOException {
    Path tmp = writeTemp(target, content, permissions);
    try {
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      forceDirectory(target);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Creates several new files, all or none: every content is written to a forced temporary
   * file first, then each is published without replacing anything; if any step fails, the
   * files published by this call are removed again.
   *
   * @param files targets and contents, published in iteration order
   * @param ownerOnly whether to give the files permissions 0600 (where POSIX permissions exist)
   * @throws FileAlreadyExistsException naming the target if one exists (nothing is left behind)
   * @throws IOException naming the target if a file cannot be written (nothing is left behind)
   */
  public static void createAll(Map<Path, Content> files, boolean ownerOnly) throws IOException {
    Path[] current = {null};
    try {
      createAll0(files, ownerOnly, current);
    } catch (IOException e) {
      throw named(current[0], e);
    }
  }

  private static void createAll0(Map<Path, Content> files, boolean ownerOnly, Path[] current) throws IOException {
    Map<Path, Path> temps = new LinkedHashMap<>();
    List<Path> published = new ArrayList<>();
    boolean done = false;
    try {
      for (Map.Entry<Path, Content> e : files.entrySet()) {
        current[0] = e.getKey();
        if (Files.exists(e.getKey(), LinkOption.NOFOLLOW_LINKS)) {
          throw new FileAlreadyExistsException(e.getKey().toString(), null, "file exists; refusing to replace it");
        }
        temps.put(e.getKey(), writeTemp(e.getKey(), e.getValue(), ownerOnly ? "rw-------" : null));
      }
      for (Map.Entry<Path, Path> e : temps.entrySet()) {
        current[0] = e.getKey();
        publishNew(e.getValue(), e.getKey());
        published.add(e.getKey());
      }
      for (Path p : published) {
        forceDirectory(p);
      }
      done = true;
    } finally {
      temps.values().forEach(AtomicFiles::deleteQuietly);
      if (!done) {
        published.forEach(AtomicFiles::deleteQuietly);
      }
    }
  }

  /** The same failure with a message that names the target, not a temporary file. */
  private static IOException named(Path target, IOException e) {
    String reason;
    if (e instanceof FileAlreadyExistsException) {
      return new FileAlreadyExistsException(target.toString(), null, "already exists");
    } else if (e instanceof NoSuchFileException) {
      reason = "directory does not exist: " + target.toAbsolutePath().getParent();
    } else if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else {
      reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new IOException(target + ": " + reason, e);
  }

  // A hard link publishes the complete file atomically and fails if the target exists, so a
  // file is never replaced, even by a racing writer.
  private static void publishNew(Path tmp, Path target) throws IOException {
    try {
      Files.createLink(target, tmp);
    } catch (UnsupportedOperationException e) {
      if (Files.exists(target)) {
        throw new FileAlreadyExistsException(target.toString());
      }
      Files.move(tmp, target);
    }
  }

  private static Path writeTemp(Path target, Content content, String permissions) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new NoSuchFileException(target.toString());
    }
    String name = target.getFileName().toString();
    Path tmp = Files.createTempFile(dir, "." + (name.length() > 40 ? name.substring(0, 40) : name), ".tmp");
    boolean ok = false;
    try {
      if (permissions != null) {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system: the platform's defaults apply.
        }
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        BufferedOutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        content.writeTo(out);
        out.flush();
        ch.force(true);
      }
      ok = true;
      return tmp;
    } finally {
      if (!ok) {
        deleteQuietly(tmp);
      }
    }
  }

  /** Forces the directory entry of {@code file} to the device; not possible on every platform. */
  private static void forceDirectory(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory; the rename itself is still atomic.
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // the original error is the one to report
      }
    }
  }
}
