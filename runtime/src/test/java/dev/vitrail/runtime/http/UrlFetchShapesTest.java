package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.assertClose;
import static dev.vitrail.runtime.http.EmbeddingServerTest.floats;
import static dev.vitrail.runtime.http.EmbeddingServerTest.ints;
import static dev.vitrail.runtime.http.FetchServers.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every request shape that carries URLs, fetched from a local origin that the allow-list admits
 * explicitly (127.0.0.1): each answer equals the answer to the same image sent inline, and the
 * tower's own features.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UrlFetchShapesTest {
  private FetchServers s;
  private final byte[] a = TestImages.png(40, 30, 11);
  private final byte[] b = TestImages.encoded(23, 57, 12, "jpg");
  private String urlA;
  private String urlB;

  @BeforeAll
  void start() {
    s = new FetchServers();
    urlA = s.origin.image("a.png", a);
    urlB = s.origin.image("b.jpg", b);
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private static String q(String v) {
    return "\"" + v + "\"";
  }

  /** The embeddings of {@code template} with URL inputs, and with the same images inline. */
  private void assertSameAsInline(String template, List<byte[]> images, FeatureSpec spec) {
    String viaUrl = template;
    String inline = template;
    List<String> urls = List.of(urlA, urlB);
    for (int i = 0; i < images.size(); i++) {
      viaUrl = viaUrl.replace("@" + i, urls.get(i));
      inline = inline.replace("@" + i, ShapeServer.dataUrl(images.get(i)));
    }
    JsonNode fetched = post(s.onHttp, "/v1/embeddings", viaUrl).get("data");
    JsonNode sent = post(s.onHttp, "/v1/embeddings", inline).get("data");
    assertEquals(images.size(), fetched.size());
    for (int i = 0; i < images.size(); i++) {
      JsonNode f = fetched.get(i);
      FeatureOutput want = s.directly(images.get(i), spec);
      assertClose(want, ints(f.get("shape")), floats(f.get("embedding")));
      JsonNode in = sent.get(i);
      assertClose(
          new FeatureOutput(floats(in.get("embedding")), ints(in.get("shape"))),
          ints(f.get("shape")),
          floats(f.get("embedding")));
    }
  }

  private static final FeatureSpec POOLED = new FeatureSpec(List.of(), null, true, true);

  @Test
  void imageUrlContentParts() {
    assertSameAsInline(
        "{\"input\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"@0\"}},"
            + "{\"type\":\"image_url\",\"image_url\":\"@1\"}],\"pooled\":true}",
        List.of(a, b),
        POOLED);
  }

  @Test
  void infinityUrlListWithModality() {
    assertSameAsInline(
        "{\"model\":\"clip-tiny\",\"encoding_format\":\"float\",\"input\":[\"@0\",\"@1\"],"
            + "\"modality\":\"image\",\"pooled\":true}",
        List.of(a, b),
        POOLED);
  }

  @Test
  void jinaImageItems() {
    assertSameAsInline(
        "{\"input\":[{\"image\":\"@0\"},{\"image\":\"@1\"}],\"pooled\":true}",
        List.of(a, b),
        POOLED);
  }

  @Test
  void vllmMessagesWithImageUrlParts() {
    assertSameAsInline(
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
            + "\"image_url\":{\"url\":\"@0\"}}]}]}",
        List.of(a),
        FeatureSpec.defaults());
  }

  @Test
  void redirectsPinnedNamesAndInlineImagesInOneRequest() {
    String redirect =
        s.origin.url("/redirect?to=" + URLEncoder.encode(urlB, StandardCharsets.UTF_8));
    String pinned = "http://img.test:" + s.origin.port() + "/img/a.png";
    JsonNode data =
        post(
                s.onHttp,
                "/v1/embeddings",
                "{\"input\":["
                    + q(redirect)
                    + ","
                    + q(ShapeServer.dataUrl(a))
                    + ","
                    + q(pinned)
                    + "],\"pooled\":true}")
            .get("data");
    byte[][] want = {b, a, a};
    for (int i = 0; i < 3; i++) {
      assertClose(
          s.pooled(want[i]), ints(data.get(i).get("shape")), floats(data.get(i).get("embedding")));
    }
  }
}
