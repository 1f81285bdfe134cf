package dev.vitrail.runtime.fetch;

import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.net.URI;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Reads a fetched body under a byte limit, into memory or into a file: a declared length over the
 * limit is refused before any byte is read, and a body without one fails (and its connection
 * closes) as soon as the bytes received pass the limit, never after buffering or writing more. A
 * stall longer than the read timeout, or a body slower than the whole-fetch timeout, fails as a
 * timeout. Aborting {@code stop} ends the body at once (its connection closes).
 *
 * @param max the largest body
 * @param limit the setting that sets {@code max}, named in the refusal
 * @param stop aborted when the fetch is given up
 */
record BoundedBody(long max, String limit, FetchSettings settings, URI url, SharedKillSwitch stop) {

  /** The whole body in memory. */
  CompletionStage<byte[]> read(HttpEntity entity, ClassicActorSystemProvider system) {
    return limited(entity, system)
        .thenCompose(
            bytes ->
                bytes.runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), system))
        .thenApply(ByteString::toArray);
  }

  /** The body written to {@code target} as it arrives; the stage holds the bytes written. */
  CompletionStage<Long> write(HttpEntity entity, Path target, ClassicActorSystemProvider system) {
    Materializer mat = Materializer.matFromSystem(system);
    return limited(entity, system)
        .thenCompose(bytes -> bytes.runWith(FileIO.toPath(target), mat))
        .thenApply(io -> io.getCount());
  }

  private CompletionStage<Source<ByteString, ?>> limited(
      HttpEntity entity, ClassicActorSystemProvider system) {
    OptionalLong declared = entity.getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > max) {
      entity.discardBytes(system);
      return CompletableFuture.failedFuture(tooLarge(declared.getAsLong() + " bytes"));
    }
    AtomicLong seen = new AtomicLong();
    Source<ByteString, ?> bytes =
        entity
            .withoutSizeLimit()
            .getDataBytes()
            .idleTimeout(settings.readTimeout())
            .completionTimeout(settings.timeout())
            .via(stop.flow())
            .map(
                chunk -> {
                  if (seen.addAndGet(chunk.size()) > max) {
                    throw tooLarge("more than " + max + " bytes");
                  }
                  return chunk;
                });
    return CompletableFuture.completedFuture(bytes);
  }

  private FetchException tooLarge(String size) {
    return new FetchException(
        Reason.TOO_LARGE,
        UrlPolicy.abbreviate(url.toString()) + " sends " + size + "; " + limit + " = " + max);
  }
}
