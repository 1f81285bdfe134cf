package dev.vitrail.runtime.http.wire;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.event.Logging;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.util.ByteString;
import scala.concurrent.duration.FiniteDuration;

/**
 * One connection's bytes in, its answers' bytes out: Pekko HTTP's server layer (parsing, request
 * timeout, rendering, {@code Connection} handling) over {@code handler}, without TLS, cut after the
 * settings' idle timeout without bytes either way — what Pekko's own {@code bindFlow} runs per
 * connection.
 */
public final class HttpConnectionFlow {
  private HttpConnectionFlow() {}

  /** The byte flow serving {@code handler} for a client at {@code remote}. */
  @SuppressWarnings("unchecked")
  public static Flow<ByteString, ByteString, NotUsed> of(
      ClassicActorSystemProvider system,
      ServerSettings settings,
      Flow<HttpRequest, HttpResponse, NotUsed> handler,
      InetSocketAddress remote) {
    var layer =
        Http.get(system.classicSystem())
            .serverLayer(
                settings,
                Optional.of(remote),
                Logging.getLogger(system.classicSystem(), HttpConnectionFlow.class));
    // TLSPlacebo hands up SessionBytes, a subtype of the SslTlsInbound the layer takes.
    BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed>
        plain = (BidiFlow) TLSPlacebo.getInstance();
    var stack = layer.atop(plain);
    if (settings.getTimeouts().idleTimeout() instanceof FiniteDuration idle) {
      stack =
          stack.atop(
              BidiFlow.<ByteString, ByteString>bidirectionalIdleTimeout(
                  Duration.ofNanos(idle.toNanos())));
    }
    return handler.join(stack);
  }
}
