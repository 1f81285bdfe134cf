package dev.vitrail.runtime.http;

import dev.vitrail.runtime.dedupe.DedupeSettings;
import dev.vitrail.runtime.fetch.FetchSettings;
import java.time.Duration;

/**
 * A copy of {@link HttpSettings} with some parts replaced: what each {@code with...} method of the
 * settings builds; {@link #build()} checks the result as the record's constructor does.
 */
final class HttpSettingsBuilder {
  private String host;
  private int port;
  private final long maxBodyBytes;
  private final long maxImageBytes;
  private final int maxInputs;
  private final Duration retryAfter;
  private final Duration requestTimeout;
  private AdmissionLimits admission;
  private ApiKeys apiKeys;
  private FetchSettings fetch;
  private DedupeSettings dedupe;

  HttpSettingsBuilder(HttpSettings s) {
    host = s.host();
    port = s.port();
    maxBodyBytes = s.maxBodyBytes();
    maxImageBytes = s.maxImageBytes();
    maxInputs = s.maxInputs();
    retryAfter = s.retryAfter();
    requestTimeout = s.requestTimeout();
    admission = s.admission();
    apiKeys = s.apiKeys();
    fetch = s.fetch();
    dedupe = s.dedupe();
  }

  HttpSettingsBuilder address(String newHost, int newPort) {
    host = newHost;
    port = newPort;
    return this;
  }

  HttpSettingsBuilder admission(AdmissionLimits limits) {
    admission = limits;
    return this;
  }

  HttpSettingsBuilder apiKeys(ApiKeys keys) {
    apiKeys = keys;
    return this;
  }

  HttpSettingsBuilder fetch(FetchSettings newFetch) {
    fetch = newFetch;
    return this;
  }

  HttpSettingsBuilder dedupe(DedupeSettings newDedupe) {
    dedupe = newDedupe;
    return this;
  }

  HttpSettings build() {
    return new HttpSettings(
        host,
        port,
        maxBodyBytes,
        maxImageBytes,
        maxInputs,
        retryAfter,
        requestTimeout,
        admission,
        apiKeys,
        fetch,
        dedupe);
  }
}
