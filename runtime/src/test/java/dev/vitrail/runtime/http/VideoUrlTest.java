package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.fetch.FetchSettings;
import dev.vitrail.runtime.fetch.FileOrigin;
import dev.vitrail.runtime.fetch.TestTls;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.video.TestVideos;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
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
  private static final long MAX_VIDEO = 1_000_000;
  @TempDir static Path dir;
  @TempDir static Path uploads;
  private ServedModel clip;
  private EmbeddingServer server;
  private HttpCalls http;
  private FileOrigin origin;
  private FileOrigin tls;
  private byte[] avi;

  @BeforeAll
  void start() throws Exception {
    Path file = dir.resolve("clip.avi");
    TestVideos.writeMjpegAvi(file, 64, 48, 11, 10);
    avi = Files.readAllBytes(file);
    byte[] big = new byte[(int) MAX_VIDEO + 100_000];
    new Random(3).nextBytes(big);
    origin =
        new FileOrigin(false)
            .put("clip.avi", "video/x-msvideo", avi, true)
            .put("clip", "application/octet-stream", avi, false)
            .put("page.html", "text/html", "<html></html>".getBytes(StandardCharsets.UTF_8), true)
            .put("a.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, true)
            .put("big.avi", "video/x-msvideo", big, true)
            .put("big-chunked.avi", "video/x-msvideo", big, false)
            .put(
                "junk.mp4",
                "video/mp4",
                "certainly not a video".getBytes(StandardCharsets.UTF_8),
                true);
    tls = new FileOrigin(true).put("clip.avi", "video/x-msvideo", avi, true);
    clip =
        ServedModel.open(
            VideoServer.CLIP,
            null,
            VitrailTestSettings.of("vitrail.workers { count = 1, batch-limit = 8 }"));
    FetchSettings fetch =
        FetchSettings.off()
            .admitting(List.of("127.0.0.1", "*.test"), true)
            .withLimits(2, Duration.ofSeconds(5), Duration.ofSeconds(5), 200_000, 2)
            .withTrustStore(TestTls.TRUST, TestTls.PASSWORD);
    server =
        EmbeddingServer.start(
            List.of(clip),
            EmbeddingServerTest.SETTINGS.withFetch(fetch),
            new VideoSettings(MAX_VIDEO, 1, 4, 1, uploads),
            VideoUrlTest::resolve);
    http = new HttpCalls(server.address());
  }

  /**
   * vid.test, tls.test and wrong.test name 127.0.0.1; private.test 10.1.2.3; metadata.test
   * 169.254.169.254.
   */
  private static InetAddress[] resolve(String host) throws UnknownHostException {
    String ip =
        switch (host) {
          case "vid.test", "tls.test", "wrong.test", "127.0.0.1" -> "127.0.0.1";
          case "private.test" -> "10.1.2.3";
          case "metadata.test" -> "169.254.169.254";
          default -> throw new UnknownHostException(host);
        };
    return new InetAddress[] {
      InetAddress.getByAddress(host, InetAddress.getByName(ip).getAddress())
    };
  }

  @AfterAll
  void stop() {
    server.close();
    clip.close();
    origin.close();
    tls.close();
  }

  private HttpResponse<byte[]> video(String url) {
    return http.postAs(
        "/v1/video?model=clip-tiny&every=2&url=" + URLEncoder.encode(url, StandardCharsets.UTF_8),
        "application/octet-stream",
        new byte[0]);
  }

  private static List<VideoServer.Record> records(HttpResponse<byte[]> res) {
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    List<JsonNode> lines = VideoServer.lines(res.body());
    JsonNode end = lines.get(lines.size() - 1);
    assertEquals("video.end", end.get("object").asText(), end.toString());
    assertEquals(lines.size() - 1, end.get("records").asInt());
    return lines.subList(0, lines.size() - 1).stream().map(VideoServer::record).toList();
  }

  @Test
  void aVideoUrlStreamsTheSameRecordsAsItsUpload() {
    List<VideoServer.Record> upload =
        records(http.postAs("/v1/video?model=clip-tiny&every=2", "video/x-msvideo", avi));
    assertEquals(6, upload.size());
    VideoServer.assertSame(upload, records(video(origin.url("vid.test", "/clip.avi"))));
    VideoServer.assertSame(upload, records(video(origin.url("127.0.0.1", "/clip"))));
    VideoServer.assertSame(upload, records(video(tls.url("tls.test", "/clip.avi"))));
    assertNoTempFiles();
  }

  private record Case(String what, String url, int status, String type, String fragment) {}

  @Test
  void eachRefusedOrFailedUrlGetsItsStatus() {
    String redirect = origin.url("vid.test", "/redirect?to=");
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
                redirect + enc("http://private.test/clip.avi"),
                403,
                "url_address_refused",
                "10.1.2.3"),
            new Case(
                "redirect to a refused host",
                redirect + enc("https://example.com/clip.avi"),
                403,
                "url_not_allowed",
                "example.com"),
            new Case(
                "HTML", origin.url("vid.test", "/page.html"), 422, "url_not_video", "text/html"),
            new Case(
                "an image", origin.url("vid.test", "/a.png"), 422, "url_not_video", "image/png"),
            new Case(
                "declared oversize",
                origin.url("vid.test", "/big.avi"),
                413,
                "url_too_large",
                "max-video-bytes = 1000000"),
            new Case(
                "oversize while streaming",
                origin.url("vid.test", "/big-chunked.avi"),
                413,
                "url_too_large",
                "more than 1000000 bytes"),
            new Case(
                "not found",
                origin.url("vid.test", "/none.avi"),
                422,
                "url_fetch_failed",
                "HTTP 404"),
            new Case(
                "certificate for another host",
                tls.url("wrong.test", "/clip.avi"),
                422,
                "url_tls_failed",
                "TLS handshake"),
            new Case("not a video", origin.url("vid.test", "/junk.mp4"), 422, "invalid_video", ""));
    for (Case c : cases) {
      HttpResponse<byte[]> res = video(c.url());
      String body = new String(res.body(), StandardCharsets.UTF_8);
      assertEquals(c.status(), res.statusCode(), c.what() + ": " + body);
      JsonNode error = HttpCalls.json(res).get("error");
      assertEquals(c.type(), error.get("type").asText(), c.what() + ": " + body);
      assertTrue(error.get("message").asText().contains(c.fragment()), c.what() + ": " + body);
      if (!c.type().equals("invalid_video")) {
        assertTrue(error.get("message").asText().startsWith("url: "), c.what() + ": " + body);
      }
      assertNoTempFiles();
    }
    // the one video slot is free again
    assertEquals(6, records(video(origin.url("vid.test", "/clip.avi"))).size());
  }

  private static String enc(String url) {
    return URLEncoder.encode(url, StandardCharsets.UTF_8);
  }

  private static void assertNoTempFiles() {
    try (Stream<Path> left = Files.list(uploads)) {
      assertEquals(List.of(), left.toList());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
