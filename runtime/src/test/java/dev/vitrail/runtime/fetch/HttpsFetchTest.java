package dev.vitrail.runtime.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.settings.InvalidSettingsException;
import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * https end to end against a local TLS origin whose self-signed certificate (for {@code tls.test}
 * and 127.0.0.1) is made by keytool: trusted through {@code trust-store}, the fetch works with the
 * connection pinned to the checked address and the certificate verified against the URL's host; an
 * untrusted certificate or another host name is refused as {@link Reason#TLS}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsFetchTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 4, 5, 6};
  @TempDir Path dir;
  private ActorSystem system;
  private FileOrigin origin;
  private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

  @BeforeAll
  void start() {
    system = ActorSystem.create("https-fetch-test");
    origin = new FileOrigin(true).put("a.png", "image/png", PNG, true);
  }

  @AfterAll
  void stop() {
    origin.close();
    system.terminate();
  }

  /** tls.test and other.test name 127.0.0.1 (the certificate names tls.test only). */
  private InetAddress[] resolve(String host) throws UnknownHostException {
    lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
    if (!host.equals("tls.test") && !host.equals("other.test") && !host.equals("127.0.0.1")) {
      throw new UnknownHostException(host);
    }
    return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
  }

  private UrlFetcher fetcher(Path trust) {
    FetchSettings s =
        FetchSettings.off()
            .admitting(List.of("*.test", "127.0.0.1"), false)
            .withLimits(2, Duration.ofSeconds(5), Duration.ofSeconds(5), 100_000, 2)
            .withTrustStore(trust, TestTls.PASSWORD);
    return new UrlFetcher(s, this::resolve, system);
  }

  private static FetchException refusal(UrlFetcher f, String url) {
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> f.fetch(f.policy().parse(url)).toCompletableFuture().get(30, TimeUnit.SECONDS));
    return (FetchException) e.getCause();
  }

  @Test
  void fetchesFromATrustedOriginPinnedToTheCheckedAddress() throws Exception {
    int before = lookups.computeIfAbsent("tls.test", h -> new AtomicInteger()).get();
    try (UrlFetcher f = fetcher(TestTls.TRUST)) {
      for (String host : List.of("tls.test", "127.0.0.1")) {
        UrlFetcher.Fetched got =
            f.fetch(f.policy().parse(origin.url(host, "/a.png")))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertArrayEquals(PNG, got.bytes());
      }
      // tls.test exists only in this resolver: the connection went to the address it returned
      assertEquals(before + 1, lookups.get("tls.test").get());
      // the certificate is verified against the URL's host, not the pinned address
      FetchException other = refusal(f, origin.url("other.test", "/a.png"));
      assertEquals(Reason.TLS, other.reason(), other.getMessage());
      assertTrue(other.getMessage().contains("TLS handshake"), other.getMessage());
    }
  }

  @Test
  void refusesACertificateItDoesNotTrust() {
    int before = origin.requests.get();
    try (UrlFetcher f = fetcher(null)) {
      FetchException e = refusal(f, origin.url("tls.test", "/a.png"));
      assertEquals(Reason.TLS, e.reason(), e.getMessage());
      assertTrue(e.getMessage().contains("trust-store"), e.getMessage());
    }
    assertEquals(before, origin.requests.get());
  }

  @Test
  void anUnreadableTrustStoreIsASettingsError() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.p12"), "not a key store");
    InvalidSettingsException e =
        assertThrows(InvalidSettingsException.class, () -> fetcher(junk).close());
    assertTrue(e.getMessage().contains("vitrail.http.fetch.trust-store"), e.getMessage());
    assertThrows(InvalidSettingsException.class, () -> fetcher(dir.resolve("missing.p12")).close());
  }
}
