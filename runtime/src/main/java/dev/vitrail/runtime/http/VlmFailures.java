package dev.vitrail.runtime.http;

import dev.vitrail.runtime.vlm.EcLimitException;
import dev.vitrail.runtime.vlm.EcStorageException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * How {@code /v1/vlm/encode} names its failures: storage failures are the server's (500), an image
 * or payload over the consumer's limits is too large (413).
 */
final class VlmFailures {
  private VlmFailures() {}

  private static Throwable cause(Throwable err) {
    Throwable e = err;
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** Whether {@code err} is an encoder-cache write that failed. */
  static boolean storage(Throwable err) {
    return cause(err) instanceof EcStorageException;
  }

  /** {@code err}, with a storage failure turned into an internal error naming the path. */
  static Throwable unwrap(Throwable err) {
    return cause(err) instanceof EcStorageException s
        ? new ApiException(ErrorKind.INTERNAL, "encoder-cache storage: " + s.getMessage(), s)
        : err;
  }

  /** What {@code step} gives, an {@link EcLimitException} answered {@code image_too_large}. */
  static <T> T withinLimits(Supplier<T> step) {
    try {
      return step.get();
    } catch (EcLimitException e) {
      throw new ApiException(ErrorKind.IMAGE_TOO_LARGE, e.getMessage(), e);
    }
  }
}
