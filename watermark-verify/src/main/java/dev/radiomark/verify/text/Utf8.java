package dev.radiomark.verify.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding that reports where the bad bytes are. */
final class Utf8 {

  private Utf8() {}

  /** Signals malformed or unmappable input at a byte offset. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;
    /** Offset of the first bad byte, relative to the decoded range. */
    final int offset;

    MalformedException(int offset) {
      super(null, null, false, false);
      this.offset = offset;
    }
  }

  /** Returns a decoder that reports instead of replacing; decoders are not thread-safe. */
  static CharsetDecoder newStrictDecoder() {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** Length of a leading UTF-8 byte order mark in {@code b[off, off + len)}: 3 or 0. */
  static int bomLength(byte[] b, int off, int len) {
    return len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB && b[off + 2] == (byte) 0xBF ? 3 : 0;
  }

  /** Decodes {@code b[off, off + len)}, throwing with the offset of the first bad byte. */
  static String decode(CharsetDecoder decoder, byte[] b, int off, int len) throws MalformedException {
    ByteBuffer in = ByteBuffer.wrap(b, off, len);
    // UTF-8 never yields more UTF-16 units than bytes, so one pass always fits.
    CharBuffer out = CharBuffer.allocate(len);
    decoder.reset();
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      throw new MalformedException(in.position() - off);
    }
    // A truncated sequence at the end is reported here, as underflow becomes malformed on flush.
    r = decoder.flush(out);
    if (r.isError()) {
      throw new MalformedException(in.position() - off);
    }
    out.flip();
    return out.toString();
  }

  /** Index of the first unpaired surrogate in {@code s}, or -1 if it is well-formed UTF-16. */
  static int firstUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
