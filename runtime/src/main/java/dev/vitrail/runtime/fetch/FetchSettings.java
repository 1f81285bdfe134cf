package dev.vitrail.runtime.fetch;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import dev.vitrail.config.settings.InvalidSettingsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code vitrail.http.fetch} settings (see this module's {@code reference.conf}).
 *
 * @param enabled whether image URLs are fetched at all
 * @param allow the allow-list ({@link UrlPolicy})
 * @param allowHttp whether plain http URLs are fetched
 * @param maxRedirects redirects followed per URL
 * @param connectTimeout longest DNS lookup plus TCP/TLS connect, per hop
 * @param readTimeout longest wait for the answer's headers or its next bytes
 * @param timeout longest whole fetch, redirects included
 * @param maxBytes largest download, enforced while it streams
 * @param maxConcurrent fetches running at once (beyond: 503 busy)
 * @param trustStore a PKCS12 or JKS file whose certificates are trusted for https besides the JDK's
 *     own, or null for the JDK's only
 * @param trustStorePassword the trust store's password (empty: none); never shown by {@link
 *     #toString()}
 */
public record FetchSettings(
    boolean enabled,
    List<String> allow,
    boolean allowHttp,
    int maxRedirects,
    Duration connectTimeout,
    Duration readTimeout,
    Duration timeout,
    long maxBytes,
    int maxConcurrent,
    Path trustStore,
    String trustStorePassword) {
  public FetchSettings {
    trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
    allow = List.copyOf(allow);
    if (maxRedirects < 0 || maxBytes < 1 || maxConcurrent < 1) {
      throw new InvalidSettingsException(
          "vitrail.http.fetch.*",
          "max-redirects >= 0, max-bytes and max-concurrent > 0",
          maxRedirects + "/" + maxBytes + "/" + maxConcurrent);
    }
    for (Duration d : List.of(connectTimeout, readTimeout, timeout)) {
      if (d.isNegative() || d.isZero()) {
        throw new InvalidSettingsException("vitrail.http.fetch.*-timeout", "durations > 0", d);
      }
    }
    try {
      new UrlPolicy(allow, allowHttp);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingsException("vitrail.http.fetch.allow: " + e.getMessage(), e);
    }
  }

  /** Fetching off (the default). */
  public static FetchSettings off() {
    return new FetchSettings(
        false,
        List.of(),
        false,
        3,
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        16L << 20,
        8,
        null,
        "");
  }

  /** Fetching on, admitting {@code allow}, with the other settings as they are. */
  public FetchSettings admitting(List<String> entries, boolean http) {
    return new FetchSettings(
        true,
        entries,
        http,
        maxRedirects,
        connectTimeout,
        readTimeout,
        timeout,
        maxBytes,
        maxConcurrent,
        trustStore,
        trustStorePassword);
  }

  /** The same settings with other limits. */
  public FetchSettings withLimits(
      int redirects, Duration connect, Duration read, long bytes, int concurrent) {
    return new FetchSettings(
        enabled,
        allow,
        allowHttp,
        redirects,
        connect,
        read,
        timeout,
        bytes,
        concurrent,
        trustStore,
        trustStorePassword);
  }

  /** The same settings trusting the certificates of {@code store} (null: the JDK's only). */
  public FetchSettings withTrustStore(Path store, String password) {
    return new FetchSettings(
        enabled,
        allow,
        allowHttp,
        maxRedirects,
        connectTimeout,
        readTimeout,
        timeout,
        maxBytes,
        maxConcurrent,
        store,
        password);
  }

  /** The settings, without the trust store's password. */
  @Override
  public String toString() {
    return "FetchSettings[enabled="
        + enabled
        + ", allow="
        + allow
        + ", allowHttp="
        + allowHttp
        + ", maxRedirects="
        + maxRedirects
        + ", timeouts="
        + connectTimeout
        + "/"
        + readTimeout
        + "/"
        + timeout
        + ", maxBytes="
        + maxBytes
        + ", maxConcurrent="
        + maxConcurrent
        + ", trustStore="
        + trustStore
        + "]";
  }

  /** The policy of the allow-list. */
  public UrlPolicy policy() {
    return new UrlPolicy(allow, allowHttp);
  }

  /** The settings under {@code vitrail.http.fetch} of {@code config}. */
  public static FetchSettings from(Config config) {
    try {
      Config c = config.getConfig("vitrail.http.fetch");
      List<String> allow =
          c.getValue("allow").valueType() == ConfigValueType.LIST
              ? c.getStringList("allow")
              : Arrays.stream(c.getString("allow").split(",")).map(String::strip).toList();
      return new FetchSettings(
          c.getBoolean("enabled"),
          allow.stream().filter(s -> !s.isEmpty()).toList(),
          c.getBoolean("allow-http"),
          c.getInt("max-redirects"),
          c.getDuration("connect-timeout"),
          c.getDuration("read-timeout"),
          c.getDuration("timeout"),
          c.getBytes("max-bytes"),
          c.getInt("max-concurrent"),
          c.getString("trust-store").isBlank() ? null : Path.of(c.getString("trust-store").strip()),
          c.getString("trust-store-password"));
    } catch (ConfigException e) {
      throw new InvalidSettingsException(
          "invalid vitrail.http.fetch setting: " + e.getMessage(), e);
    }
  }
}
