package dev.vitrail.runtime.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
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
 * Host names with several addresses (each tried in turn, each connection pinned to a checked
 * address, one refused address refusing the name), and video downloads into a file (content types,
 * the byte limit declared and while streaming).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FetchAddressesTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 9, 8, 7};
  @TempDir Path dir;
  private ActorSystem system;
  private FileOrigin origin;
  private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
  private final Map<String, List<String>> names =
      Map.of(
          // nothing listens on 127.0.0.2/127.0.0.3 at the origin's port: refused connects
          "multi.test", List.of("127.0.0.2", "127.0.0.3", "127.0.0.1"),
          "localhost", List.of("::1", "127.0.0.1"),
          "dead.test", List.of("127.0.0.2", "127.0.0.3"),
          "mixed.test", List.of("127.0.0.1", "10.0.0.1"),
          "meta.test", List.of("127.0.0.1", "169.254.169.254"),
          "127.0.0.1", List.of("127.0.0.1"));
  private final byte[] video = new byte[50_000];

  @BeforeAll
  void start() {
    system = ActorSystem.create("fetch-addresses-test");
    new java.util.Random(7).nextBytes(video);
    origin =
        new FileOrigin(false)
            .put("a.png", "image/png", PNG, true)
            .put("clip.avi", "video/x-msvideo", video, true)
            .put("clip.bin", "application/octet-stream", video, false)
            .put("chunked.mp4", "video/mp4", video, false)
            .put("page.html", "text/html", "<html></html>".getBytes(), true);
  }

  @AfterAll
  void stop() {
    origin.close();
    system.terminate();
  }

  private InetAddress[] resolve(String host) throws UnknownHostException {
    lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
    List<String> ips = names.get(host);
    if (ips == null) {
      throw new UnknownHostException(host);
    }
    InetAddress[] out = new InetAddress[ips.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = InetAddress.getByAddress(host, InetAddress.getByName(ips.get(i)).getAddress());
    }
    return out;
  }

  private UrlFetcher fetcher() {
    FetchSettings s =
        FetchSettings.off()
            .admitting(List.of("*.test", "localhost", "127.0.0.0/8", "::1"), true)
            .withLimits(2, Duration.ofSeconds(5), Duration.ofSeconds(5), 100_000, 2);
    return new UrlFetcher(s, this::resolve, system);
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static FetchException refusal(CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(stage));
    return (FetchException) e.getCause();
  }

  @Test
  void triesEachAddressInTurnPinnedToTheCheckedOne() throws Exception {
    try (UrlFetcher f = fetcher()) {
      int before = origin.requests.get();
      URI multi = f.policy().parse(origin.url("multi.test", "/a.png"));
      assertArrayEquals(PNG, get(f.fetch(multi)).bytes());
      // one lookup, two refused connects, one request: the third address was the one used
      assertEquals(1, lookups.get("multi.test").get());
      assertEquals(before + 1, origin.requests.get());
      URI local = f.policy().parse(origin.url("localhost", "/a.png"));
      assertArrayEquals(PNG, get(f.fetch(local)).bytes());
      assertEquals(1, lookups.get("localhost").get());

      FetchException dead = refusal(f.fetch(f.policy().parse(origin.url("dead.test", "/a.png"))));
      assertEquals(Reason.FAILED, dead.reason());
      assertTrue(
          dead.getMessage().contains("any of its addresses (127.0.0.2, 127.0.0.3)"),
          dead.getMessage());
    }
  }

  @Test
  void oneRefusedAddressRefusesTheNameBeforeAnyConnection() throws Exception {
    try (UrlFetcher f = fetcher()) {
      int before = origin.requests.get();
      for (String host : List.of("mixed.test", "meta.test")) {
        FetchException e = refusal(f.fetch(f.policy().parse(origin.url(host, "/a.png"))));
        assertEquals(Reason.ADDRESS_REFUSED, e.reason(), e.getMessage());
      }
      assertTrue(
          refusal(f.fetch(f.policy().parse(origin.url("meta.test", "/a.png"))))
              .getMessage()
              .contains("169.254.169.254, a cloud metadata"));
      assertEquals(before, origin.requests.get());
    }
  }

  @Test
  void downloadsVideosIntoAFileUnderTheirOwnLimit() throws Exception {
    try (UrlFetcher f = fetcher()) {
      for (String name : List.of("clip.avi", "clip.bin", "chunked.mp4")) {
        Path out = dir.resolve(name);
        URI url = f.policy().parse(origin.url("multi.test", "/" + name));
        assertEquals(video.length, get(f.download(url, out, 60_000, "limit")));
        assertArrayEquals(video, Files.readAllBytes(out));
      }
      // the video limit, not fetch.max-bytes (100 000), applies; declared: nothing written
      Path declared = Files.createFile(dir.resolve("declared"));
      FetchException big =
          refusal(
              f.download(
                  f.policy().parse(origin.url("127.0.0.1", "/clip.avi")),
                  declared,
                  40_000,
                  "video.limit"));
      assertEquals(Reason.TOO_LARGE, big.reason(), big.getMessage());
      assertTrue(big.getMessage().contains("50000 bytes; video.limit = 40000"), big.getMessage());
      assertEquals(0, Files.size(declared));
      // chunked: cut while streaming, never more than the limit on disk
      Path chunked = dir.resolve("chunked");
      FetchException cut =
          refusal(
              f.download(
                  f.policy().parse(origin.url("127.0.0.1", "/chunked.mp4")),
                  chunked,
                  20_000,
                  "video.limit"));
      assertEquals(Reason.TOO_LARGE, cut.reason(), cut.getMessage());
      assertTrue(cut.getMessage().contains("more than 20000 bytes"), cut.getMessage());
      assertTrue(Files.size(chunked) <= 20_000);

      for (String wrong : List.of("/page.html", "/a.png")) {
        FetchException e =
            refusal(
                f.download(
                    f.policy().parse(origin.url("127.0.0.1", wrong)),
                    dir.resolve("w"),
                    60_000,
                    "l"));
        assertEquals(Reason.NOT_VIDEO, e.reason(), e.getMessage());
      }
      FetchException notImage =
          refusal(f.fetch(f.policy().parse(origin.url("127.0.0.1", "/clip.avi"))));
      assertEquals(Reason.NOT_IMAGE, notImage.reason());
    }
  }

  @Test
  void videoAndImageFetchesShareMaxConcurrent() throws Exception {
    FetchSettings one =
        FetchSettings.off()
            .admitting(List.of("127.0.0.1"), true)
            .withLimits(2, Duration.ofSeconds(5), Duration.ofSeconds(20), 100_000, 1);
    try (UrlFetcher f = new UrlFetcher(one, this::resolve, system)) {
      Path out = dir.resolve("held.avi");
      CompletionStage<Long> held =
          f.download(f.policy().parse(origin.url("127.0.0.1", "/hold/clip.avi")), out, 60_000, "l");
      assertEquals(1, f.running());
      FetchException busy = refusal(f.fetch(f.policy().parse(origin.url("127.0.0.1", "/a.png"))));
      assertEquals(Reason.BUSY, busy.reason());
      assertTrue(busy.getMessage().contains("max-concurrent = 1"), busy.getMessage());
      origin.held.countDown();
      assertEquals(video.length, get(held));
      assertArrayEquals(
          PNG, get(f.fetch(f.policy().parse(origin.url("127.0.0.1", "/a.png")))).bytes());
    }
  }
}
