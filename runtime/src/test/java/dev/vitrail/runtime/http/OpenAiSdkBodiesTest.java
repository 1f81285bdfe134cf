package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.assertClose;
import static dev.vitrail.runtime.http.EmbeddingServerTest.floats;
import static dev.vitrail.runtime.http.EmbeddingServerTest.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The request bodies the real OpenAI Python SDK (openai 3.22.1) sends for {@code
 * client.embeddings.create(model=, input=[data URLs], ...)}, byte for byte as {@code
 * tools/clients/openai_check.py --dump-requests} captured them (compact JSON; keys in the order
 * input, model, user, dimensions, encoding_format, then the {@code extra_body} fields, an {@code
 * extra_body} key replacing the SDK's own), with its {@code Authorization: Bearer} header: each
 * answer equals a direct tower call.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiSdkBodiesTest {
  private ShapeServer s;
  private final byte[] a = TestImages.png(17, 23, 21);
  private final byte[] b = TestImages.encoded(30, 20, 22, "jpg");

  @BeforeAll
  void start() {
    s = new ShapeServer();
  }

  @AfterAll
  void stop() {
    s.close();
  }

  /** What the SDK sends: {@code {"input":[...],"model":"clip-tiny"} + tail}. */
  private String body(String tail) {
    return "{\"input\":[\""
        + EmbeddingServerTest.dataUrl(a, "image/png")
        + "\",\""
        + EmbeddingServerTest.dataUrl(b, "image/jpeg")
        + "\"],\"model\":\"clip-tiny\""
        + tail
        + "}";
  }

  /** POSTs as the SDK does (with its bearer key) to the server behind API keys. */
  private JsonNode sdk(String tail) {
    HttpResponse<byte[]> res =
        s.keyedHttp.post(
            "/v1/embeddings",
            body(tail).getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + ShapeServer.KEY);
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    JsonNode json = HttpCalls.json(res);
    assertEquals("clip-tiny", json.get("model").asText());
    assertEquals(2, json.get("data").size());
    return json.get("data");
  }

  @Test
  void defaultBase64AndFloat() {
    JsonNode base64 = sdk(",\"encoding_format\":\"base64\"");
    JsonNode floats = sdk(",\"encoding_format\":\"float\"");
    byte[][] images = {a, b};
    for (int i = 0; i < 2; i++) {
      FeatureOutput want = s.directly(images[i], FeatureSpec.defaults());
      assertClose(want, ints(base64.get(i).get("shape")), ShapeServer.base64Floats(base64.get(i)));
      assertClose(want, ints(floats.get(i).get("shape")), floats(floats.get(i).get("embedding")));
      // The SDK decodes base64 as little-endian float32: the same values as the float answer.
      assertArrayEquals(
          floats(floats.get(i).get("embedding")), ShapeServer.base64Floats(base64.get(i)));
    }
  }

  @Test
  void extraBodyFieldsAfterTheSdksOwn() {
    JsonNode pooled = sdk(",\"encoding_format\":\"base64\",\"pooled\":true");
    JsonNode normalized = sdk(",\"encoding_format\":\"base64\",\"pooled\":true,\"normalize\":true");
    JsonNode dims = sdk(",\"user\":\"u-1\",\"dimensions\":8,\"encoding_format\":\"float\"");
    // extra_body={"encoding_format": "int8"} replaces the SDK's "base64" in place.
    JsonNode int8 = sdk(",\"dimensions\":16,\"encoding_format\":\"int8\"");
    byte[][] images = {a, b};
    for (int i = 0; i < 2; i++) {
      FeatureOutput p = s.pooled(images[i]);
      assertClose(p, ints(pooled.get(i).get("shape")), ShapeServer.base64Floats(pooled.get(i)));
      FeatureOutput unit = PooledVectors.shape(p, null, true);
      assertClose(
          unit, ints(normalized.get(i).get("shape")), ShapeServer.base64Floats(normalized.get(i)));
      FeatureOutput eight = PooledVectors.shape(p, 8, true);
      assertClose(eight, ints(dims.get(i).get("shape")), floats(dims.get(i).get("embedding")));
      int[] q =
          PooledVectors.quantize(PooledVectors.shape(p, 16, true).values(), EncodingFormat.INT8);
      int[] got = ints(int8.get(i).get("embedding"));
      assertEquals(q.length, got.length);
      for (int j = 0; j < q.length; j++) {
        assertEquals(q[j], got[j], 1, "int8 value " + j); // rounding of values computed apart
      }
    }
  }
}
