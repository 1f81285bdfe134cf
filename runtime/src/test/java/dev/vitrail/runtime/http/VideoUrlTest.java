package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/video?url=...} on a server with URL fetching on for {@code *.test} and 127.0.0.1
 * (http allowed, the test origin's certificate trusted): a video from an http or https origin
 * streams the same records as its upload; each refused or failed URL gets its documented status,
 * leaves no temporary file and frees its video slot (one slot: the good URL after them still
 * works).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoUrlTest {
  @TempDir static Path dir;
  @TempDir static Path uploads;
  private VideoUrlServer s;

  @BeforeAll
  void start() throws Exception {
    s = new VideoUrlServer(dir, uploads);
  }

  @AfterAll
  void stop() {
    s.close();
  }

  @Test
  void aVideoUrlStreamsTheSameRecordsAsItsUpload() {
    List<VideoServer.Record> upload =
        VideoUrlServer.records(
            s.http.postAs("/v1/video?model=clip-tiny&every=2", "video/x-msvideo", s.avi));
    assertEquals(6, upload.size());
    VideoServer.assertSame(
        upload, VideoUrlServer.records(s.video(s.origin.url("vid.test", "/clip.avi"))));
    VideoServer.assertSame(
        upload, VideoUrlServer.records(s.video(s.origin.url("127.0.0.1", "/clip"))));
    VideoServer.assertSame(
        upload, VideoUrlServer.records(s.video(s.tls.url("tls.test", "/clip.avi"))));
    s.assertNoTempFiles();
  }

  private record Case(String what, String url, int status, String type, String fragment) {}

  @Test
  void eachRefusedOrFailedUrlGetsItsStatus() {
    String redirect = s.origin.url("vid.test", "/redirect?to=");
    List<Case> cases =
        List.of(
            new Case(
                "host not allowed",
                "https://example.com/a.avi",
                403,
                "url_not_allowed",
                "example.com"),
            new Case("not http(s)", "ftp://vid.test/a.avi", 403, "url_not_allowed", "only http(s)"),
            new Case("malformed", "http://a b/", 400, "malformed_request", "not a valid URL"),
            new Case(
                "metadata address",
                "http://metadata.test/latest/meta-data",
                403,
                "url_address_refused",
                "cloud metadata"),
            new Case(
                "name to a private address",
                "http://private.test/clip.avi",
                403,
                "url_address_refused",
                "10.1.2.3"),
            new Case(
                "redirect to a private address",
                redirect + VideoUrlServer.enc("http://private.test/clip.avi"),
                403,
                "url_address_refused",
                "10.1.2.3"),
            new Case(
                "redirect to a refused host",
                redirect + VideoUrlServer.enc("https://example.com/clip.avi"),
                403,
                "url_not_allowed",
                "example.com"),
            new Case(
                "HTML", s.origin.url("vid.test", "/page.html"), 422, "url_not_video", "text/html"),
            new Case(
                "an image", s.origin.url("vid.test", "/a.png"), 422, "url_not_video", "image/png"),
            new Case(
                "declared oversize",
                s.origin.url("vid.test", "/big.avi"),
                413,
                "url_too_large",
                "max-video-bytes = 1000000"),
            new Case(
                "oversize while streaming",
                s.origin.url("vid.test", "/big-chunked.avi"),
                413,
                "url_too_large",
                "more than 1000000 bytes"),
            new Case(
                "not found",
                s.origin.url("vid.test", "/none.avi"),
                422,
                "url_fetch_failed",
                "HTTP 404"),
            new Case(
                "certificate for another host",
                s.tls.url("wrong.test", "/clip.avi"),
                422,
                "url_tls_failed",
                "TLS handshake"),
            new Case(
                "not a video", s.origin.url("vid.test", "/junk.mp4"), 422, "invalid_video", ""));
    for (Case c : cases) {
      HttpResponse<byte[]> res = s.video(c.url());
      String body = new String(res.body(), StandardCharsets.UTF_8);
      assertEquals(c.status(), res.statusCode(), c.what() + ": " + body);
      JsonNode error = HttpCalls.json(res).get("error");
      assertEquals(c.type(), error.get("type").asText(), c.what() + ": " + body);
      assertTrue(error.get("message").asText().contains(c.fragment()), c.what() + ": " + body);
      if (!c.type().equals("invalid_video")) {
        assertTrue(error.get("message").asText().startsWith("url: "), c.what() + ": " + body);
      }
      s.assertNoTempFiles();
    }
    // the one video slot is free again
    assertEquals(6, VideoUrlServer.records(s.video(s.origin.url("vid.test", "/clip.avi"))).size());
  }
}
