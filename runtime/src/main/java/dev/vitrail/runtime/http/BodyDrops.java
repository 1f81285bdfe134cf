package dev.vitrail.runtime.http;

import dev.vitrail.runtime.http.wire.BodyDrop;
import dev.vitrail.runtime.http.wire.RequestHead;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Which request bodies the socket layer drops as they arrive, below the HTTP parser: those of the
 * endpoints that admit bodies with {@link BodyAdmission}, declared within {@code max-body-bytes},
 * from a client that sends its body without waiting for {@code 100 Continue}, when the server would
 * refuse the body anyway (shutting down, or the body budget full as the head arrives). Such a
 * client must still be read to its end before it reads its 503; dropping its bytes unparsed costs a
 * fraction of parsing and discarding them (BENCHMARKS.md, HTTP overload). Bodies under {@link
 * #MIN_BYTES} are cheap to parse and are left to the parser.
 */
final class BodyDrops implements BodyDrop {
  /** The smallest body dropped below the parser. */
  static final long MIN_BYTES = 64 * 1024;

  private static final Set<String> PATHS = Set.of("/v1/embeddings", "/v1/vlm/encode");

  private final AdmissionGate gate;
  private final long maxBodyBytes;
  private final BooleanSupplier draining;
  private final ServerMetrics metrics;

  BodyDrops(
      AdmissionGate gate, long maxBodyBytes, BooleanSupplier draining, ServerMetrics metrics) {
    this.gate = gate;
    this.maxBodyBytes = maxBodyBytes;
    this.draining = draining;
    this.metrics = metrics;
  }

  @Override
  public boolean drop(RequestHead head) {
    long length = head.contentLength();
    boolean drop =
        head.method().equals("POST")
            && PATHS.contains(head.path())
            && !head.expectsContinue()
            && length >= MIN_BYTES
            && length <= maxBodyBytes
            && (draining.getAsBoolean() || !gate.bodyFits(length));
    if (drop) {
      metrics.bodyDropped();
    }
    return drop;
  }
}
