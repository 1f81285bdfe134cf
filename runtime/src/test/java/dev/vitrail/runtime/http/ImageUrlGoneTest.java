package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image given by URL to {@code /v1/embeddings} is fetched for its request only: when the client
 * leaves, or the request times out, while the image still arrives (from an origin that sends it in
 * about 9.5 s, within the fetch's own limits), the fetch stops within a few seconds: the origin
 * sees its connection closed before it sent everything.
 */
class ImageUrlGoneTest {
  /** How soon after the client left (or the request timed out) the origin must see the close. */
  private static final long BOUND_S = 4;

  @TempDir Path dir;
  @TempDir Path uploads;

  @Test
  void aClientThatLeavesStopsItsImageFetch() throws Exception {
    // The 60 s request timeout and the fetch's own timeouts are not what stops it.
    try (VideoUrlServer s = new VideoUrlServer(dir, uploads, Duration.ofSeconds(60))) {
      long left =
          ClientGoneTest.postThenLeave(
              s.server,
              "/v1/embeddings",
              "application/json",
              body(s),
              "the fetch started",
              () -> s.origin.requests.get() > 0);
      s.assertSlowFetchStopped(left, BOUND_S, "image");
    }
  }

  @Test
  void aRequestThatTimesOutStopsItsImageFetch() throws Exception {
    try (VideoUrlServer s = new VideoUrlServer(dir, uploads, Duration.ofSeconds(2))) {
      HttpResponse<byte[]> res = s.http.post("/v1/embeddings", body(s));
      long answered = System.nanoTime();
      assertTrue(res.statusCode() >= 500, new String(res.body(), StandardCharsets.UTF_8));
      s.assertSlowFetchStopped(answered, BOUND_S, "image");
    }
  }

  private static byte[] body(VideoUrlServer s) {
    return EmbeddingServerTest.body(s.origin.url("vid.test", "/slow/slow.png"))
        .put("model", "clip-tiny")
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }
}
