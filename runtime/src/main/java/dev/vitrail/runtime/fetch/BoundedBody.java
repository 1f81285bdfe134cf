package dev.vitrail.runtime.fetch;

import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.net.URI;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;

/**
 * Reads a fetched body under {@code max-bytes}: a declared length over it is refused before any
 * byte is read, and a body without one fails (and its connection closes) as soon as the bytes
 * received pass the limit, never after buffering more. A stall longer than the read timeout, or a
 * body slower than the whole-fetch timeout, fails as a timeout.
 */
final class BoundedBody {
  private BoundedBody() {}

  static CompletionStage<byte[]> read(
      HttpEntity entity, FetchSettings settings, URI url, ClassicActorSystemProvider system) {
    long max = settings.maxBytes();
    OptionalLong declared = entity.getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > max) {
      entity.discardBytes(system);
      return CompletableFuture.failedFuture(tooLarge(url, declared.getAsLong() + " bytes", max));
    }
    return entity
        .withoutSizeLimit()
        .getDataBytes()
        .idleTimeout(settings.readTimeout())
        .completionTimeout(settings.timeout())
        .runWith(
            Sink.fold(
                ByteString.emptyByteString(),
                (acc, chunk) -> {
                  if ((long) acc.size() + chunk.size() > max) {
                    throw tooLarge(url, "more than " + max + " bytes", max);
                  }
                  return acc.concat(chunk);
                }),
            system)
        .thenApply(ByteString::toArray);
  }

  private static FetchException tooLarge(URI url, String size, long max) {
    return new FetchException(
        Reason.TOO_LARGE,
        UrlPolicy.abbreviate(url.toString())
            + " sends "
            + size
            + "; vitrail.http.fetch.max-bytes = "
            + max);
  }
}
