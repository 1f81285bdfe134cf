package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.assertClose;
import static dev.vitrail.runtime.http.EmbeddingServerTest.floats;
import static dev.vitrail.runtime.http.EmbeddingServerTest.ints;
import static dev.vitrail.runtime.http.ShapeServer.b64;
import static dev.vitrail.runtime.http.ShapeServer.dataUrl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.runtime.golden.Fixtures;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each client's request shape, sent as that client's exact JSON bytes to a real server: the
 * features equal a direct tower call on the same image.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class RequestShapesTest {
  private ShapeServer s;
  private final byte[] a = TestImages.png(40, 30, 11);
  private final byte[] b = TestImages.encoded(31, 45, 12, "jpg");

  @BeforeAll
  void start() {
    s = new ShapeServer();
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private void assertTokens(JsonNode item, byte[] image) {
    assertClose(
        s.directly(image, FeatureSpec.defaults()),
        ints(item.get("shape")),
        floats(item.get("embedding")));
  }

  @Test
  void openAiSdkDefaultBase64WithExtraBody() {
    // openai-python: embeddings.create(model=, input=[...], extra_body={"pooled": True}) sends
    // input, model, then its default encoding_format "base64", then the extra_body fields.
    JsonNode json =
        s.post(
            "{\"input\":[\""
                + dataUrl(a)
                + "\",\""
                + dataUrl(b)
                + "\"],\"model\":\"clip-tiny\",\"encoding_format\":\"base64\",\"pooled\":true}");
    byte[][] images = {a, b};
    for (int i = 0; i < 2; i++) {
      JsonNode item = json.get("data").get(i);
      assertClose(s.pooled(images[i]), ints(item.get("shape")), ShapeServer.base64Floats(item));
    }
    // The SDK's own default with no extra_body: token features, flat base64.
    JsonNode tokens =
        s.post(
            "{\"input\":[\""
                + b64(a)
                + "\"],\"model\":\"clip-tiny\",\"encoding_format\":\"base64\"}");
    JsonNode item = tokens.get("data").get(0);
    assertClose(
        s.directly(a, FeatureSpec.defaults()),
        ints(item.get("shape")),
        ShapeServer.base64Floats(item));
  }

  @Test
  void openAiSdkDimensionsAndUser() {
    JsonNode json =
        s.post(
            "{\"input\":[\""
                + dataUrl(a)
                + "\"],\"model\":\"clip-tiny\",\"user\":\"u-1\",\"dimensions\":8,"
                + "\"encoding_format\":\"float\"}");
    FeatureOutput want = PooledVectors.shape(s.pooled(a), 8, true);
    JsonNode item = json.get("data").get(0);
    assertClose(want, ints(item.get("shape")), floats(item.get("embedding")));
    assertEquals(1.0, norm(floats(item.get("embedding"))), 1e-5);
  }

  @Test
  void vllmMessagesWithImageUrlParts() {
    JsonNode json =
        s.post(
            "{\"model\":\"clip-tiny\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                + dataUrl(a)
                + "\"}}]},{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\""
                + dataUrl(b)
                + "\"}}]}],\"encoding_format\":\"float\"}");
    assertTokens(json.get("data").get(0), a);
    assertTokens(json.get("data").get(1), b);
  }

  @Test
  void messageShapedInputAndContentParts() {
    JsonNode json =
        s.post(
            "{\"model\":\"clip-tiny\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"image_url\",\"image_url\":\""
                + dataUrl(a)
                + "\"}]},{\"type\":\"image\",\"image\":\""
                + b64(b)
                + "\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                + dataUrl(a)
                + "\"}}]}");
    assertTokens(json.get("data").get(0), a);
    assertTokens(json.get("data").get(1), b);
    assertTokens(json.get("data").get(2), a);
  }

  @Test
  void jinaImageItemsWithNormalizedAndEmbeddingType() {
    JsonNode json =
        s.post(
            "{\"model\":\"clip-tiny\",\"normalized\":true,\"embedding_type\":\"float\","
                + "\"input\":[{\"image\":\""
                + b64(a)
                + "\"},{\"image\":\""
                + dataUrl(b)
                + "\"}]}");
    byte[][] images = {a, b};
    for (int i = 0; i < 2; i++) {
      JsonNode item = json.get("data").get(i);
      assertClose(
          PooledVectors.shape(s.pooled(images[i]), null, true),
          ints(item.get("shape")),
          floats(item.get("embedding")));
    }
  }

  @Test
  void infinityModalityImage() {
    JsonNode json =
        s.post(
            "{\"model\":\"clip-tiny\",\"encoding_format\":\"float\",\"user\":null,"
                + "\"input\":[\""
                + dataUrl(b)
                + "\"],\"modality\":\"image\"}");
    assertTokens(json.get("data").get(0), b);
  }

  @Test
  void quantizedFormatsOfTheNormalizedPooledVector() {
    // The server's own float answer (equal to the tower's), quantized as documented, must equal
    // each quantized answer exactly: one request at a time encodes the same batch of one.
    String body = "{\"input\":[\"" + dataUrl(a) + "\"],\"normalize\":true,\"encoding_format\":\"";
    JsonNode unitItem = s.post(body + "float\"}").get("data").get(0);
    float[] unit = floats(unitItem.get("embedding"));
    assertClose(PooledVectors.shape(s.pooled(a), null, true), ints(unitItem.get("shape")), unit);
    for (EncodingFormat f :
        new EncodingFormat[] {
          EncodingFormat.INT8, EncodingFormat.UINT8, EncodingFormat.BINARY, EncodingFormat.UBINARY
        }) {
      String name = f.name().toLowerCase(java.util.Locale.ROOT);
      JsonNode item = s.post(body + name + "\"}").get("data").get(0);
      assertArrayEquals(PooledVectors.quantize(unit, f), ints(item.get("embedding")), name);
      assertArrayEquals(new int[] {unit.length}, ints(item.get("shape")), name);
    }
  }

  static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }
}
