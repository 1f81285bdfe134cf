package dev.vitrail.runtime.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/**
 * Pekko HTTP's own limits, set from Vitrail's so the documented values are the real ones: {@code
 * max-content-length} and {@code max-to-strict-bytes} are {@code max-body-bytes} ({@code
 * admission.max-connections} is the socket layer's, {@link
 * dev.vitrail.runtime.http.wire.WireServer}), the request timeout is {@code request-timeout} and
 * the idle timeout is a little longer (a connection waiting for its answer is never cut before the
 * 503 timeout answer). HTTP the parser refuses is answered by {@link MalformedHttpAnswers} (the
 * JSON error envelope).
 */
final class PekkoServerSettings {
  /** How much longer than the request timeout a connection may stay silent. */
  static final Duration IDLE_MARGIN = Duration.ofSeconds(10);

  private PekkoServerSettings() {}

  static ServerSettings of(HttpSettings settings, Config system) {
    String prefix = "pekko.http.server.";
    Config ours =
        ConfigFactory.parseMap(
            Map.of(
                prefix + "parsing.max-content-length", settings.maxBodyBytes(),
                prefix + "parsing.max-to-strict-bytes", settings.maxBodyBytes(),
                prefix + "parsing.error-handler", MalformedHttpAnswers.class.getName(),
                prefix + "request-timeout", settings.requestTimeout().toMillis() + "ms",
                prefix + "idle-timeout",
                    settings.requestTimeout().plus(IDLE_MARGIN).toMillis() + "ms"));
    return ServerSettings.create(ours.withFallback(system));
  }
}
