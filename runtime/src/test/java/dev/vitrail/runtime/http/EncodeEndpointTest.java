package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.assertClose;
import static dev.vitrail.runtime.http.EmbeddingServerTest.floats;
import static dev.vitrail.runtime.http.EmbeddingServerTest.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.FeatureSpec;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /v1/encode} (raw and multipart bodies) and the API keys, on a real server. */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncodeEndpointTest {
  static final String BOUNDARY = "----vitrailBoundary7MA4YWxk";
  private ShapeServer s;
  private final byte[] a = TestImages.png(40, 30, 21);
  private final byte[] b = TestImages.encoded(27, 50, 22, "jpg");

  @BeforeAll
  void start() {
    s = new ShapeServer();
  }

  @AfterAll
  void stop() {
    s.close();
  }

  /** A multipart/form-data body with one file part per image (what curl -F sends). */
  static byte[] multipart(byte[]... images) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < images.length; i++) {
      out.writeBytes(
          ("--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"img"
                  + i
                  + ".png\"\r\nContent-Type: image/png\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.writeBytes(images[i]);
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** A multipart/form-data body with one file part of {@code type}. */
  static byte[] multipartFile(String filename, String type, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + filename
                + "\"\r\nContent-Type: "
                + type
                + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(data);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static String multipartType() {
    return "multipart/form-data; boundary=" + BOUNDARY;
  }

  @Test
  void rawImageBytesAnswerSafetensors() {
    HttpResponse<byte[]> res = s.http.postAs("/v1/encode", "image/png", a);
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    assertEquals("application/octet-stream", res.headers().firstValue("Content-Type").get());
    List<int[]> shapes = new ArrayList<>();
    List<float[]> got = ShapeServer.safetensors(res.body(), shapes);
    assertEquals(1, got.size());
    assertClose(s.directly(a, FeatureSpec.defaults()), shapes.get(0), got.get(0));
  }

  @Test
  void multipartFilesInOrderWithQueryOptions() {
    HttpResponse<byte[]> res =
        s.http.postAs("/v1/encode?pooled=true&dimensions=16", multipartType(), multipart(a, b));
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    List<int[]> shapes = new ArrayList<>();
    List<float[]> got = ShapeServer.safetensors(res.body(), shapes);
    assertEquals(2, got.size());
    assertClose(PooledVectors.shape(s.pooled(a), 16, true), shapes.get(0), got.get(0));
    assertClose(PooledVectors.shape(s.pooled(b), 16, true), shapes.get(1), got.get(1));
  }

  @Test
  void jsonOnRequest() {
    HttpResponse<byte[]> res = s.http.postAs("/v1/encode?format=json", "image/jpeg", b);
    assertEquals(200, res.statusCode());
    JsonNode item = HttpCalls.json(res).get("data").get(0);
    assertClose(
        s.directly(b, FeatureSpec.defaults()),
        ints(item.get("shape")),
        floats(item.get("embedding")));
    HttpResponse<byte[]> accept =
        s.http.postAs("/v1/encode", "image/png", a, "Accept", "application/json");
    assertEquals("application/json", accept.headers().firstValue("Content-Type").get());
  }

  @Test
  void apiKeysGuardWorkButNotHealth() {
    String body = "{\"input\":[\"" + ShapeServer.dataUrl(a) + "\"],\"pooled\":true}";
    HttpResponse<byte[]> none = s.keyedHttp.post("/v1/embeddings", body.getBytes());
    assertEquals(401, none.statusCode());
    assertEquals("unauthorized", HttpCalls.json(none).get("error").get("type").asText());
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertFalse(new String(none.body(), StandardCharsets.UTF_8).contains(ShapeServer.KEY));
    HttpResponse<byte[]> ok =
        s.keyedHttp.post(
            "/v1/embeddings", body.getBytes(), "Authorization", "Bearer " + ShapeServer.KEY);
    assertEquals(200, ok.statusCode(), new String(ok.body(), StandardCharsets.UTF_8));
    HttpResponse<byte[]> other =
        s.keyedHttp.postAs("/v1/encode", "image/png", a, "Authorization", "bearer other-key");
    assertEquals(200, other.statusCode());
    assertEquals(200, s.keyedHttp.get("/health").statusCode());
    assertEquals(200, s.keyedHttp.get("/health/live").statusCode());
    assertEquals(401, s.keyedHttp.get("/metrics").statusCode());
    assertEquals(401, s.keyedHttp.get("/v1/models").statusCode());
    // The open server next to it is unaffected.
    assertEquals(200, s.http.get("/metrics").statusCode());
  }
}
