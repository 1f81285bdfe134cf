package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.assertClose;
import static dev.vitrail.runtime.http.EmbeddingServerTest.floats;
import static dev.vitrail.runtime.http.EmbeddingServerTest.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.runtime.golden.Fixtures;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input to the new shapes, options, keys and {@code /v1/encode}: each gets its documented
 * status and error type with a message naming the problem, and the server answers a good request
 * correctly right after.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class ShapeBadInputsTest {
  private ShapeServer s;
  private final byte[] good = TestImages.png(24, 24, 31);
  private FeatureOutput want;

  /** One bad request: where it goes, its body, and what must come back. */
  record Case(
      String name,
      boolean keyed,
      String path,
      String type,
      byte[] body,
      List<String> headers,
      int status,
      String kind,
      String says) {}

  @BeforeAll
  void start() {
    s = new ShapeServer();
    want = s.pooled(good);
  }

  @AfterAll
  void stop() {
    s.close();
  }

  static Case json(String name, String body, int status, String kind, String says) {
    return new Case(
        name,
        false,
        "/v1/embeddings",
        "application/json",
        body.getBytes(StandardCharsets.UTF_8),
        List.of(),
        status,
        kind,
        says);
  }

  static Case encode(String name, String query, String type, byte[] body, int status, String says) {
    String kind =
        switch (status) {
          case 400 -> "malformed_request";
          case 413 -> says.contains("max-image-bytes") ? "image_too_large" : "body_too_large";
          case 415 -> "unsupported_media_type";
          default -> "invalid_image";
        };
    return new Case(name, false, "/v1/encode" + query, type, body, List.of(), status, kind, says);
  }

  static Case keyed(String name, List<String> headers) {
    String body = "{\"input\":[\"" + ShapeServer.b64(TestImages.png(8, 8, 1)) + "\"]}";
    return new Case(
        name,
        true,
        "/v1/embeddings",
        "application/json",
        body.getBytes(StandardCharsets.UTF_8),
        headers,
        401,
        "unauthorized",
        "Authorization: Bearer");
  }

  List<Case> cases() {
    String img = "\"" + ShapeServer.dataUrl(good) + "\"";
    String part = "{\"type\":\"image_url\",\"image_url\":{\"url\":" + img + "}}";
    byte[] png = TestImages.png(16, 16, 2);
    String mp = EncodeEndpointTest.multipartType();
    String b = EncodeEndpointTest.BOUNDARY;
    return List.of(
        json(
            "text string",
            "{\"input\":[\"a photo of a cat\"]}",
            400,
            "malformed_request",
            "embeds images only"),
        json(
            "text part",
            "{\"input\":[{\"type\":\"text\",\"text\":\"cat\"}]}",
            400,
            "malformed_request",
            "is text"),
        json(
            "text message",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            400,
            "malformed_request",
            "(clip)"),
        json(
            "text part in message",
            "{\"messages\":[{\"role\":\"user\",\"content\":["
                + part
                + ",{\"type\":\"text\",\"text\":\"Represent the image\"}]}]}",
            400,
            "malformed_request",
            "messages[0].content[1]"),
        json(
            "input and messages",
            "{\"input\":[" + img + "],\"messages\":[]}",
            400,
            "malformed_request",
            "exactly one"),
        json("neither", "{\"model\":\"clip-tiny\"}", 400, "malformed_request", "neither"),
        json("empty messages", "{\"messages\":[]}", 400, "malformed_request", "non-empty"),
        json(
            "modality text",
            "{\"input\":[" + img + "],\"modality\":\"text\"}",
            400,
            "malformed_request",
            "modality"),
        json(
            "audio part",
            "{\"input\":[{\"type\":\"input_audio\",\"data\":\"x\"}]}",
            400,
            "malformed_request",
            ".type"),
        json(
            "image_url without url",
            "{\"input\":[{\"type\":\"image_url\",\"image_url\":{}}]}",
            400,
            "malformed_request",
            "input[0]"),
        json(
            "dimensions 0",
            "{\"input\":[" + img + "],\"dimensions\":0}",
            400,
            "malformed_request",
            "positive integer"),
        json(
            "dimensions string",
            "{\"input\":[" + img + "],\"dimensions\":\"8\"}",
            400,
            "malformed_request",
            "dimensions"),
        json(
            "dimensions above width",
            "{\"input\":[" + img + "],\"dimensions\":100000}",
            400,
            "malformed_request",
            "pooled width"),
        json(
            "dimensions unpooled",
            "{\"input\":[" + img + "],\"dimensions\":8,\"pooled\":false}",
            400,
            "malformed_request",
            "pooled"),
        json(
            "int8 unpooled",
            "{\"input\":[" + img + "],\"encoding_format\":\"int8\"," + "\"pooled\":false}",
            400,
            "malformed_request",
            "pooled"),
        json(
            "unknown format",
            "{\"input\":[" + img + "],\"encoding_format\":\"int4\"}",
            400,
            "malformed_request",
            "ubinary"),
        json(
            "format alias differs",
            "{\"input\":["
                + img
                + "],\"encoding_format\":\"float\","
                + "\"embedding_type\":\"int8\"}",
            400,
            "malformed_request",
            "embedding_type"),
        json(
            "normalize not boolean",
            "{\"input\":[" + img + "],\"normalize\":\"yes\"}",
            400,
            "malformed_request",
            "true or false"),
        json(
            "normalize and normalized",
            "{\"input\":[" + img + "],\"normalize\":true," + "\"normalized\":true}",
            400,
            "malformed_request",
            "both"),
        keyed("no key", List.of()),
        keyed("wrong key", List.of("Authorization", "Bearer sk-wrong")),
        keyed("basic scheme", List.of("Authorization", "Basic " + ShapeServer.KEY)),
        keyed("empty bearer", List.of("Authorization", "Bearer ")),
        encode("json to encode", "", "application/json", "{}".getBytes(), 415, "image/*"),
        encode("no boundary", "", "multipart/form-data", png, 400, "boundary"),
        encode(
            "truncated multipart",
            "",
            mp,
            ("--" + b + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\nxx")
                .getBytes(),
            400,
            "not closed"),
        encode(
            "form field",
            "",
            mp,
            ("--"
                    + b
                    + "\r\nContent-Disposition: form-data; name=\"k\""
                    + "\r\n\r\nv\r\n--"
                    + b
                    + "--\r\n")
                .getBytes(),
            400,
            "plain form field"),
        encode("no parts", "", mp, ("--" + b + "--\r\n").getBytes(), 400, "at least one image"),
        encode("not an image", "", "image/png", "garbage bytes".getBytes(), 422, ""),
        encode("unknown option", "?foo=1", "image/png", png, 400, "unknown option 'foo'"),
        encode("bad format", "?format=xml", "image/png", png, 400, "format"),
        encode("bad dimensions", "?dimensions=abc", "image/png", png, 400, "dimensions"),
        encode(
            "too many files",
            "",
            mp,
            EncodeEndpointTest.multipart(png, png, png, png, png, png, png),
            413,
            "split it"),
        encode(
            "image over max-image-bytes",
            "",
            "image/png",
            new byte[150_000],
            413,
            "max-image-bytes"));
  }

  @Test
  void everyBadInputGetsItsStatusAndTheServerStaysCorrect() {
    List<Case> cases = cases();
    assertTrue(cases.size() >= 30);
    for (Case c : cases) {
      HttpCalls http = c.keyed() ? s.keyedHttp : s.http;
      HttpResponse<byte[]> res =
          http.postAs(c.path(), c.type(), c.body(), c.headers().toArray(String[]::new));
      String text = new String(res.body(), StandardCharsets.UTF_8);
      assertEquals(c.status(), res.statusCode(), c.name() + ": " + text);
      JsonNode error = HttpCalls.json(res).get("error");
      assertEquals(c.kind(), error.get("type").asText(), c.name());
      assertEquals(c.status(), error.get("code").asInt(), c.name());
      assertTrue(error.get("message").asText().contains(c.says()), c.name() + ": " + text);
      assertTrue(!text.contains(ShapeServer.KEY), c.name() + " echoes the key");
      String ok = "{\"input\":[\"" + ShapeServer.dataUrl(good) + "\"],\"pooled\":true}";
      HttpResponse<byte[]> after =
          http.postAs(
              "/v1/embeddings",
              "application/json",
              ok.getBytes(StandardCharsets.UTF_8),
              "Authorization",
              "Bearer " + ShapeServer.KEY);
      assertEquals(200, after.statusCode(), c.name() + " then: " + new String(after.body()));
      JsonNode item = HttpCalls.json(after).get("data").get(0);
      assertClose(want, ints(item.get("shape")), floats(item.get("embedding")));
    }
  }
}
