package dev.vitrail.encoders.tensor;

import java.util.Locale;

/**
 * Recognizes device out-of-memory errors: libtorch's {@code c10::OutOfMemoryError} reaches Java as
 * a {@code RuntimeException} whose message starts {@code "CUDA out of memory."} (JavaCPP rethrows
 * C++ exceptions with their {@code what()}); CPU allocation failures read {@code
 * "DefaultCPUAllocator: can't allocate memory"} / {@code "not enough memory"}.
 */
public final class OutOfMemory {
  private OutOfMemory() {}

  /** Whether {@code error} or one of its causes is an out-of-memory error of a tensor library. */
  public static boolean is(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return false; // the Java heap, not the device: not something a smaller batch fixes here
      }
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (m.contains("out of memory")
          || m.contains("outofmemoryerror")
          || m.contains("can't allocate memory")
          || m.contains("not enough memory")) {
        return true;
      }
    }
    return false;
  }
}
