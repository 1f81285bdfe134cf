package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.runtime.video.TestVideos;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@code POST /v1/video} and to model selection with two models served: each gets its
 * documented status and error type with a message naming the problem, before any record is sent,
 * and the server streams a good video correctly right after.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoBadInputsTest {
  @TempDir static Path dir;
  @TempDir static Path uploads;
  private VideoServer s;
  private byte[] avi;
  private List<VideoServer.Record> want;

  /** One bad request and what must come back. */
  record Case(
      String name, String path, String type, byte[] body, int status, String kind, String says) {}

  @BeforeAll
  void start() throws Exception {
    s = new VideoServer(uploads);
    Path video = dir.resolve("good.avi");
    TestVideos.writeMjpegAvi(video, 64, 48, 11, 10);
    avi = Files.readAllBytes(video);
    want =
        VideoServer.cli(VideoServer.CLIP, video, dir.resolve("good.safetensors"), "--every", "5");
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private List<Case> cases() {
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    String clip = "/v1/video?model=clip-tiny";
    byte[] noFile =
        ("--"
                + EncodeEndpointTest.BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
                + "hello\r\n--"
                + EncodeEndpointTest.BOUNDARY
                + "--\r\n")
            .getBytes(StandardCharsets.UTF_8);
    List<Case> c = new ArrayList<>();
    c.add(
        new Case(
            "random bytes", clip, "video/mp4", noise, 422, "invalid_video", "cannot open video"));
    c.add(
        new Case(
            "cut before the first frame",
            clip,
            "video/avi",
            Arrays.copyOf(avi, 300),
            422,
            "invalid_video",
            "video"));
    c.add(
        new Case(
            "declared over max-video-bytes",
            clip,
            "video/avi",
            new byte[(int) VideoServer.MAX_VIDEO + 1],
            413,
            "body_too_large",
            "max-video-bytes"));
    c.add(
        new Case(
            "JSON body",
            clip,
            "application/json",
            "{}".getBytes(),
            415,
            "unsupported_media_type",
            "/v1/video takes"));
    c.add(new Case("fps 0", clip + "&fps=0", "video/avi", avi, 400, "malformed_request", "fps"));
    c.add(
        new Case(
            "fps not a number",
            clip + "&fps=abc",
            "video/avi",
            avi,
            400,
            "malformed_request",
            "fps"));
    c.add(
        new Case(
            "every 0", clip + "&every=0", "video/avi", avi, 400, "malformed_request", "every"));
    c.add(
        new Case(
            "fps and every",
            clip + "&fps=2&every=2",
            "video/avi",
            avi,
            400,
            "malformed_request",
            "not both"));
    c.add(
        new Case(
            "unknown format",
            clip + "&format=xml",
            "video/avi",
            avi,
            400,
            "malformed_request",
            "format"));
    c.add(
        new Case(
            "unknown model",
            "/v1/video?model=gpt-vision",
            "video/avi",
            avi,
            404,
            "unknown_model",
            "'clip-tiny', 'qwen2_5_vl-tiny'"));
    c.add(
        new Case(
            "no model with two served",
            "/v1/video",
            "video/avi",
            avi,
            400,
            "malformed_request",
            "several models"));
    c.add(
        new Case(
            "unknown option",
            clip + "&temperature=1",
            "video/avi",
            avi,
            400,
            "malformed_request",
            "temperature"));
    c.add(
        new Case(
            "a URL without fetching",
            clip + "&url=https://example.com/a.mp4",
            "video/avi",
            new byte[0],
            422,
            "url_fetch_disabled",
            "not fetched"));
    c.add(
        new Case(
            "multipart without a file",
            clip,
            EncodeEndpointTest.multipartType(),
            noFile,
            400,
            "malformed_request",
            "no file part"));
    c.add(
        new Case(
            "select_layers out of range",
            clip + "&select_layers=99",
            "video/avi",
            avi,
            400,
            "malformed_request",
            "select_layers"));
    c.add(
        new Case(
            "dimensions with pooled false",
            clip + "&pooled=false&dimensions=8",
            "video/avi",
            avi,
            400,
            "malformed_request",
            "pooled"));
    c.add(
        new Case(
            "embeddings without a model, two served",
            "/v1/embeddings",
            "application/json",
            ("{\"input\":[\"" + ShapeServer.dataUrl(TestImages.png(20, 20, 3)) + "\"]}").getBytes(),
            400,
            "malformed_request",
            "several models"));
    c.add(
        new Case(
            "encode with an unknown model",
            "/v1/encode?model=nope",
            "image/png",
            TestImages.png(20, 20, 3),
            404,
            "unknown_model",
            "'nope'"));
    c.add(
        new Case(
            "vlm encode on the CLIP model",
            "/v1/vlm/encode",
            "application/json",
            ("{\"model\":\"clip-tiny\",\"input\":[\""
                    + ShapeServer.dataUrl(TestImages.png(20, 20, 3))
                    + "\"]}")
                .getBytes(),
            404,
            "unknown_model",
            "no VLM encoder tier"));
    c.add(
        new Case(
            "model not a string",
            "/v1/embeddings",
            "application/json",
            "{\"model\":5,\"input\":[]}".getBytes(),
            400,
            "malformed_request",
            "model"));
    return c;
  }

  @Test
  void everyBadInputGetsItsStatusAndTheServerStaysCorrect() {
    for (Case c : cases()) {
      HttpResponse<byte[]> res = s.http.postAs(c.path(), c.type(), c.body());
      String text = new String(res.body(), StandardCharsets.UTF_8);
      assertEquals(c.status(), res.statusCode(), c.name() + ": " + text);
      JsonNode error = HttpCalls.json(res).get("error");
      assertEquals(c.kind(), error.get("type").asText(), c.name() + ": " + text);
      assertEquals(c.status(), error.get("code").asInt(), c.name());
      assertTrue(error.get("message").asText().contains(c.says()), c.name() + ": " + text);
      assertGood(c.name());
    }
  }

  @Test
  void aChunkedUploadOverTheLimitIs413WhileItStreams() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    var address = s.server.address();
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create(
                    "http://"
                        + address.getHostString()
                        + ":"
                        + address.getPort()
                        + "/v1/video?model=clip-tiny"))
            .header("Content-Type", "video/avi")
            .timeout(Duration.ofSeconds(60))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(new byte[(int) VideoServer.MAX_VIDEO + 1])))
            .build();
    HttpResponse<byte[]> res = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(413, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    assertEquals("body_too_large", HttpCalls.json(res).get("error").get("type").asText());
    assertGood("chunked over the limit");
    VideoServer.awaitTempFiles(uploads, 0); // the partial upload is deleted
  }

  @Test
  void getIsMethodNotAllowed() {
    HttpResponse<byte[]> res = s.http.get("/v1/video");
    assertEquals(405, res.statusCode());
    assertEquals("method_not_allowed", HttpCalls.json(res).get("error").get("type").asText());
  }

  private void assertGood(String after) {
    HttpResponse<byte[]> res = s.http.postAs("/v1/video?model=clip-tiny&every=5", "video/avi", avi);
    assertEquals(200, res.statusCode(), after);
    List<JsonNode> lines = VideoServer.lines(res.body());
    assertEquals("video.end", lines.get(lines.size() - 1).get("object").asText(), after);
    VideoServer.assertSame(
        want, lines.subList(0, lines.size() - 1).stream().map(VideoServer::record).toList());
  }
}
