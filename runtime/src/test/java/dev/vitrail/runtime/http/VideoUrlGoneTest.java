package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A video given by URL is downloaded for its request only: when the client leaves, or the request
 * times out, while the video still arrives (from an origin that sends it in about 39 s, longer than
 * the fetch's own 30 s timeout allows), the download stops within a few seconds: the origin sees
 * its connection closed, the temporary file goes, and the one video slot is free again.
 */
class VideoUrlGoneTest {
  /** How soon after the client left (or the request timed out) the origin must see the close. */
  private static final long BOUND_S = 8;

  @TempDir Path dir;
  @TempDir Path uploads;

  @Test
  void aClientThatLeavesStopsItsDownload() throws Exception {
    // The 60 s request timeout and the 30 s fetch timeout are not what stops it.
    try (VideoUrlServer s = new VideoUrlServer(dir, uploads, Duration.ofSeconds(60))) {
      long left =
          ClientGoneTest.postThenLeave(
              s.server,
              "/v1/video?model=clip-tiny&every=2&url="
                  + VideoUrlServer.enc(s.origin.url("vid.test", "/slow/slow.avi")),
              "application/octet-stream",
              new byte[0],
              "the download started",
              () -> s.uploadedBytes() > 0);
      assertStopped(s, left);
    }
  }

  @Test
  void aRequestThatTimesOutStopsItsDownload() throws Exception {
    // The request timeout also bounds the last check's real video (fetch, open, first frames):
    // 6 s leaves room on a loaded machine (2 s failed once at load 4.5) and ends long before the
    // 39 s slow download would.
    try (VideoUrlServer s = new VideoUrlServer(dir, uploads, Duration.ofSeconds(6))) {
      var res = s.video(s.origin.url("vid.test", "/slow/slow.avi"));
      long answered = System.nanoTime();
      assertTrue(res.statusCode() >= 500, new String(res.body(), StandardCharsets.UTF_8));
      assertStopped(s, answered);
    }
  }

  /** The origin saw the connection closed within the bound, and nothing is left behind. */
  private static void assertStopped(VideoUrlServer s, long since) throws Exception {
    s.assertSlowFetchStopped(since, BOUND_S, "video");
    ClientGoneTest.await("the temporary file deleted", () -> s.temporaryFiles().isEmpty());
    // The one video slot is free again.
    assertEquals(6, VideoUrlServer.records(s.video(s.origin.url("vid.test", "/clip.avi"))).size());
  }
}
