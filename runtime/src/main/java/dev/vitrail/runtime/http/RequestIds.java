package dev.vitrail.runtime.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Request ids: the client's {@code X-Request-Id} when it is a short token, else one made here
 * ({@code <server prefix>-<counter>}, unique within the process). Logged with every 5xx and sent
 * back in the answer's {@code X-Request-Id}.
 */
final class RequestIds {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private final String prefix =
      Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  private final AtomicLong next = new AtomicLong();

  /** The id of {@code request}. */
  String of(HttpRequest request) {
    return request
        .getHeader(HttpErrors.REQUEST_ID)
        .map(h -> h.value())
        .filter(v -> TOKEN.matcher(v).matches())
        .orElseGet(this::next);
  }

  /** A new id, for an answer that has no request to take one from. */
  String next() {
    return prefix + "-" + next.incrementAndGet();
  }
}
