package dev.vitrail.runtime.vlm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal writer of Python pickle protocol 2 opcodes: enough for {@link TorchSave}'s tensor
 * records, nothing that {@code torch.load(weights_only=True)} would refuse.
 */
final class Pickle {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  void proto2() {
    out.write(0x80);
    out.write(2);
  }

  /** GLOBAL: {@code module.name}. */
  void global(String module, String name) {
    out.write('c');
    ascii(module + "\n" + name + "\n");
  }

  void mark() {
    out.write('(');
  }

  /** TUPLE: the items since the last mark. */
  void tuple() {
    out.write('t');
  }

  void emptyTuple() {
    out.write(')');
  }

  void persistentId() {
    out.write('Q');
  }

  void reduce() {
    out.write('R');
  }

  void bool(boolean v) {
    out.write(v ? 0x88 : 0x89);
  }

  /** BINUNICODE. */
  void text(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write('X');
    le(b.length, 4);
    out.writeBytes(b);
  }

  /** BININT1, BININT2, BININT or LONG1, whichever is smallest. */
  void integer(long v) {
    if (v >= 0 && v < 0x100) {
      out.write('K');
      le(v, 1);
    } else if (v >= 0 && v < 0x10000) {
      out.write('M');
      le(v, 2);
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      out.write('J');
      le(v, 4);
    } else {
      out.write(0x8a);
      out.write(8);
      le(v, 8);
    }
  }

  /** STOP, and the whole pickle. */
  byte[] stop() {
    out.write('.');
    return out.toByteArray();
  }

  private void ascii(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }

  private void le(long v, int bytes) {
    for (int i = 0; i < bytes; i++) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
  }
}
