package dev.vitrail.runtime.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.InvalidSettingsException;
import dev.vitrail.runtime.dedupe.DedupeSettings;
import dev.vitrail.runtime.fetch.FetchSettings;
import java.time.Duration;

/**
 * The {@code vitrail.http} settings (see this module's {@code reference.conf}).
 *
 * @param host interface to bind
 * @param port TCP port, 0 for any free one
 * @param maxBodyBytes largest request body
 * @param maxImageBytes largest single encoded image
 * @param maxInputs most images per request
 * @param retryAfter what a busy answer's Retry-After says
 * @param requestTimeout longest time one request may take
 * @param admission what the server lets in at once ({@code vitrail.http.admission})
 * @param apiKeys the keys work requests must present ({@code vitrail.http.api-keys}); none: open
 * @param fetch whether and how image URLs are fetched ({@code vitrail.http.fetch})
 * @param dedupe the caches keyed on encoded image bytes ({@code vitrail.http.dedupe})
 */
public record HttpSettings(
    String host,
    int port,
    long maxBodyBytes,
    long maxImageBytes,
    int maxInputs,
    Duration retryAfter,
    Duration requestTimeout,
    AdmissionLimits admission,
    ApiKeys apiKeys,
    FetchSettings fetch,
    DedupeSettings dedupe) {
  public HttpSettings {
    if (port < 0 || port > 65535) {
      throw new InvalidSettingsException("vitrail.http.port", "a port in [0, 65535]", port);
    }
    if (maxBodyBytes < 1 || maxImageBytes < 1 || maxInputs < 1) {
      throw new InvalidSettingsException(
          "vitrail.http.max-*",
          "positive limits",
          maxBodyBytes + "/" + maxImageBytes + "/" + maxInputs);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new InvalidSettingsException(
          "vitrail.http.request-timeout", "a duration > 0", requestTimeout);
    }
    if (admission.maxBodyBytesInFlight() < maxBodyBytes) {
      throw new InvalidSettingsException(
          "vitrail.http.admission.max-body-bytes-in-flight",
          "at least vitrail.http.max-body-bytes (" + maxBodyBytes + "), or no body could fit",
          admission.maxBodyBytesInFlight());
    }
    if (fetch.enabled() && fetch.maxBytes() > admission.maxBodyBytesInFlight()) {
      throw new InvalidSettingsException(
          "vitrail.http.fetch.max-bytes",
          "at most admission.max-body-bytes-in-flight ("
              + admission.maxBodyBytesInFlight()
              + "), or no fetch could be admitted",
          fetch.maxBytes());
    }
  }

  /** These settings with fetching off and no dedupe caches. */
  public HttpSettings(
      String host,
      int port,
      long maxBodyBytes,
      long maxImageBytes,
      int maxInputs,
      Duration retryAfter,
      Duration requestTimeout,
      AdmissionLimits admission,
      ApiKeys apiKeys) {
    this(
        host,
        port,
        maxBodyBytes,
        maxImageBytes,
        maxInputs,
        retryAfter,
        requestTimeout,
        admission,
        apiKeys,
        FetchSettings.off(),
        DedupeSettings.off());
  }

  /** These settings with no API keys. */
  public HttpSettings(
      String host,
      int port,
      long maxBodyBytes,
      long maxImageBytes,
      int maxInputs,
      Duration retryAfter,
      Duration requestTimeout,
      AdmissionLimits admission) {
    this(
        host,
        port,
        maxBodyBytes,
        maxImageBytes,
        maxInputs,
        retryAfter,
        requestTimeout,
        admission,
        ApiKeys.none());
  }

  /** These settings with the default {@code vitrail.http.admission} limits. */
  public HttpSettings(
      String host,
      int port,
      long maxBodyBytes,
      long maxImageBytes,
      int maxInputs,
      Duration retryAfter,
      Duration requestTimeout) {
    this(
        host,
        port,
        maxBodyBytes,
        maxImageBytes,
        maxInputs,
        retryAfter,
        requestTimeout,
        AdmissionLimits.defaults());
  }

  /** The settings from {@code application.conf}, system properties and environment. */
  public static HttpSettings load() {
    return from(ConfigFactory.load());
  }

  /** The settings under {@code vitrail.http} of {@code config}. */
  public static HttpSettings from(Config config) {
    Config c = config.getConfig("vitrail.http");
    try {
      return new HttpSettings(
          c.getString("host"),
          c.getInt("port"),
          c.getBytes("max-body-bytes"),
          c.getBytes("max-image-bytes"),
          c.getInt("max-inputs"),
          c.getDuration("retry-after"),
          c.getDuration("request-timeout"),
          AdmissionLimits.from(config),
          ApiKeys.of(
              c.getString("api-keys"),
              c.getString("api-keys-file"),
              c.getBoolean("metrics-need-key")),
          FetchSettings.from(config),
          DedupeSettings.from(config));
    } catch (ConfigException e) {
      throw new InvalidSettingsException("invalid vitrail.http setting: " + e.getMessage(), e);
    }
  }

  /** The same settings bound to another host and port. */
  public HttpSettings withAddress(String newHost, int newPort) {
    return new HttpSettingsBuilder(this).address(newHost, newPort).build();
  }

  /** The same settings with other admission limits. */
  public HttpSettings withAdmission(AdmissionLimits limits) {
    return new HttpSettingsBuilder(this).admission(limits).build();
  }

  /** The same settings with other API keys. */
  public HttpSettings withApiKeys(ApiKeys keys) {
    return new HttpSettingsBuilder(this).apiKeys(keys).build();
  }

  /** The same settings with other URL fetching settings. */
  public HttpSettings withFetch(FetchSettings newFetch) {
    return new HttpSettingsBuilder(this).fetch(newFetch).build();
  }

  /** The same settings with other dedupe caches. */
  public HttpSettings withDedupe(DedupeSettings newDedupe) {
    return new HttpSettingsBuilder(this).dedupe(newDedupe).build();
  }
}
