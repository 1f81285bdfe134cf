package dev.vitrail.runtime.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link UrlFetcher} against a local origin: downloads, redirects, and every refusal with its
 * reason; names resolve through a fake resolver that counts lookups.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UrlFetcherTest {
  private final byte[] png = new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4};
  private ActorSystem system;
  private ImageOrigin origin;
  private final FakeDns resolver = new FakeDns();

  @BeforeAll
  void start() {
    system = ActorSystem.create("fetch-test");
    origin = new ImageOrigin(6_000);
    origin.image("a.png", png);
  }

  @AfterAll
  void stop() {
    origin.close();
    system.terminate();
  }

  private FetchSettings settings(boolean http) {
    return FetchSettings.off()
        .admitting(List.of("127.0.0.1", "*.test"), http)
        .withLimits(2, Duration.ofSeconds(5), Duration.ofSeconds(2), 100_000, 2);
  }

  private UrlFetcher fetcher(FetchSettings s) {
    return new UrlFetcher(s, resolver, system);
  }

  private UrlFetcher.Fetched get(UrlFetcher f, String url) {
    return f.fetch(f.policy().parse(url)).toCompletableFuture().join();
  }

  private Reason refused(UrlFetcher f, String url) {
    try {
      f.fetch(f.policy().parse(url)).toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      FetchException fe = (FetchException) e.getCause();
      return fe.reason();
    } catch (FetchException e) {
      return e.reason();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError(url + " was fetched");
  }

  private String redirectTo(String to) {
    return origin.url("/redirect?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8));
  }

  @Test
  void fetchesAdmittedUrlsAndFollowsRedirects() {
    try (UrlFetcher f = fetcher(settings(true))) {
      assertArrayEquals(png, get(f, origin.url("/img/a.png")).bytes());
      assertArrayEquals(png, get(f, redirectTo("/img/a.png")).bytes());
      assertArrayEquals(png, get(f, origin.url("/chain?n=1")).bytes());
      assertEquals(0, f.running());
    }
  }

  @Test
  void theFetchPlaceIsFreeWhenTheAnswerArrives() throws Exception {
    try (UrlFetcher f = fetcher(settings(true))) {
      CompletableFuture<Integer> runningThen =
          f.fetch(f.policy().parse(origin.url("/img/a.png")))
              .toCompletableFuture()
              .thenApply(fetched -> f.running());
      assertEquals(0, runningThen.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void connectsToTheCheckedAddressWithOneLookupPerHop() {
    try (UrlFetcher f = fetcher(settings(true))) {
      int before = resolver.lookups.get();
      // img.test exists only in the fake resolver: the connection must use its answer.
      UrlFetcher.Fetched got = get(f, "http://img.test:" + origin.port() + "/img/a.png");
      assertArrayEquals(png, got.bytes());
      assertEquals(1, resolver.lookups.get() - before);
    }
  }

  @Test
  void refusesBeforeConnecting() {
    try (UrlFetcher f = fetcher(settings(false))) {
      assertEquals(Reason.NOT_ALLOWED, refused(f, origin.url("/img/a.png"))); // http
    }
    try (UrlFetcher f = fetcher(settings(true))) {
      assertEquals(Reason.NOT_ALLOWED, refused(f, "http://example.com/a.png"));
      assertEquals(Reason.NOT_ALLOWED, refused(f, "http://169.254.169.254/latest/meta-data"));
      for (String host : List.of("private", "metadata", "ula", "cgnat", "mapped")) {
        assertEquals(Reason.ADDRESS_REFUSED, refused(f, "http://" + host + ".test/a.png"), host);
      }
      assertEquals(Reason.FAILED, refused(f, "http://unknown.test/a.png"));
      int before = origin.hits("img");
      assertEquals(Reason.ADDRESS_REFUSED, refused(f, redirectTo("http://metadata.test/x")));
      assertEquals(Reason.ADDRESS_REFUSED, refused(f, redirectTo("http://private.test/x")));
      assertEquals(Reason.NOT_ALLOWED, refused(f, redirectTo("http://127.0.0.2/x")));
      assertEquals(Reason.NOT_ALLOWED, refused(f, redirectTo("file:///etc/passwd")));
      assertEquals(before, origin.hits("img"));
    }
  }

  @Test
  void refusesWhatTheOriginSends() {
    try (UrlFetcher f = fetcher(settings(true))) {
      assertEquals(Reason.TOO_MANY_REDIRECTS, refused(f, origin.url("/loop")));
      assertEquals(Reason.TOO_MANY_REDIRECTS, refused(f, origin.url("/chain?n=2")));
      assertEquals(Reason.FAILED, refused(f, origin.url("/noloc")));
      assertEquals(Reason.FAILED, refused(f, origin.url("/missing")));
      assertEquals(Reason.NOT_IMAGE, refused(f, origin.url("/html")));
      assertEquals(Reason.TOO_LARGE, refused(f, origin.url("/declared")));
      assertEquals(Reason.TOO_LARGE, refused(f, origin.url("/endless")));
      assertTrue(
          origin.endlessWritten.get() < ImageOrigin.ENDLESS / 4,
          "the endless body was cut early: " + origin.endlessWritten.get());
      assertEquals(Reason.TIMEOUT, refused(f, origin.url("/slow")));
      assertEquals(Reason.TIMEOUT, refused(f, origin.url("/stall")));
      assertEquals(Reason.FAILED, refused(f, "http://127.0.0.1:1/a.png"));
      assertEquals(0, f.running());
      assertArrayEquals(png, get(f, origin.url("/img/a.png")).bytes());
    }
  }

  @Test
  void boundsConcurrentFetches() throws Exception {
    try (UrlFetcher f = fetcher(settings(true))) {
      origin.holdNext();
      CompletableFuture<UrlFetcher.Fetched> a =
          f.fetch(URI.create(origin.url("/hold"))).toCompletableFuture();
      CompletableFuture<UrlFetcher.Fetched> b =
          f.fetch(URI.create(origin.url("/hold"))).toCompletableFuture();
      assertEquals(Reason.BUSY, refused(f, origin.url("/img/a.png")));
      origin.releaseHeld();
      assertArrayEquals(png, a.get(10, TimeUnit.SECONDS).bytes());
      assertArrayEquals(png, b.get(10, TimeUnit.SECONDS).bytes());
      assertArrayEquals(png, get(f, origin.url("/img/a.png")).bytes());
    } catch (CompletionException e) {
      throw new AssertionError(e);
    }
  }
}
