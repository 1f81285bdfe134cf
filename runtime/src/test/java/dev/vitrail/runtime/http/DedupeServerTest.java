package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.assertClose;
import static dev.vitrail.runtime.http.EmbeddingServerTest.floats;
import static dev.vitrail.runtime.http.EmbeddingServerTest.ints;
import static dev.vitrail.runtime.http.FetchServers.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.runtime.dedupe.DedupeStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dedupe before decode on a real server: a repeated image is neither decoded nor encoded again and
 * gets the same answer; other feature options do not collide; identical images in flight at once
 * are decoded once and each request is answered once.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DedupeServerTest {
  private FetchServers s;

  @BeforeAll
  void start() {
    s = new FetchServers();
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private DedupeStats stats() {
    return s.dedupe.metrics().dedupe();
  }

  private JsonNode embed(String inputs, String options) {
    return post(s.dedupeHttp, "/v1/embeddings", "{\"input\":[" + inputs + "]" + options + "}")
        .get("data");
  }

  private static String q(byte[] image) {
    return "\"" + ShapeServer.dataUrl(image) + "\"";
  }

  @Test
  void aRepeatedImageIsNotDecodedAgainAndGetsTheSameAnswer() {
    byte[] img = TestImages.png(48, 40, 51);
    DedupeStats before = stats();
    JsonNode first = embed(q(img), ",\"pooled\":true");
    DedupeStats mid = stats();
    assertEquals(1, mid.decoded() - before.decoded());
    JsonNode second = embed(q(img), ",\"pooled\":true");
    DedupeStats after = stats();
    assertEquals(0, after.decoded() - mid.decoded(), "the second request decodes nothing");
    assertEquals(1, after.features().hits() - mid.features().hits());
    assertEquals(first.toString(), second.toString());
    assertClose(
        s.pooled(img), ints(second.get(0).get("shape")), floats(second.get(0).get("embedding")));
    // The same bytes fetched from a URL hit the same entry.
    String url = s.origin.image("dedupe.png", img);
    JsonNode viaUrl = embed("\"" + url + "\"", ",\"pooled\":true");
    assertEquals(first.toString(), viaUrl.toString());
    assertEquals(0, stats().decoded() - mid.decoded());
    String metrics = new String(s.dedupeHttp.get("/metrics").body(), StandardCharsets.UTF_8);
    String model = "{model=\"" + s.model.name() + "\"} ";
    assertTrue(
        metrics.contains("vitrail_dedupe_hits_total" + model + stats().features().hits()), metrics);
    assertTrue(
        metrics.contains("vitrail_http_images_decoded_total" + model + stats().decoded()), metrics);
  }

  @Test
  void otherOptionsDoNotCollideButShareTheDecodedPixels() {
    byte[] img = TestImages.png(36, 52, 52);
    DedupeStats before = stats();
    JsonNode pooled = embed(q(img), ",\"pooled\":true");
    JsonNode tokens = embed(q(img), "");
    JsonNode layer = embed(q(img), ",\"select_layers\":[-2]");
    DedupeStats after = stats();
    assertEquals(3, after.features().misses() - before.features().misses());
    assertEquals(1, after.decoded() - before.decoded(), "decoded once, then from the pixel cache");
    assertEquals(2, after.pixels().hits() - before.pixels().hits());
    assertClose(
        s.pooled(img), ints(pooled.get(0).get("shape")), floats(pooled.get(0).get("embedding")));
    assertClose(
        s.directly(img, FeatureSpec.defaults()),
        ints(tokens.get(0).get("shape")),
        floats(tokens.get(0).get("embedding")));
    assertClose(
        s.directly(img, new FeatureSpec(List.of(-2), null, true, false)),
        ints(layer.get(0).get("shape")),
        floats(layer.get(0).get("embedding")));
  }

  @Test
  void oneImageTwiceInARequestIsEncodedOnce() {
    byte[] img = TestImages.png(30, 30, 53);
    DedupeStats before = stats();
    JsonNode data = embed(q(img) + "," + q(img) + "," + q(img), ",\"pooled\":true");
    DedupeStats after = stats();
    assertEquals(1, after.decoded() - before.decoded());
    assertEquals(2, after.shared() - before.shared());
    assertEquals(data.get(0).get("embedding"), data.get(2).get("embedding"));
    assertEquals(2, data.get(2).get("index").asInt());
  }

  @Test
  void identicalImagesInFlightAtOnceAreDecodedOnceAndEachRequestAnsweredOnce() throws Exception {
    byte[] img = TestImages.png(64, 64, 54);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = "{\"input\":[" + q(img) + "],\"pooled\":true}";
    DedupeStats before = stats();
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(
          client.sendAsync(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + s.dedupe.address().getPort() + "/v1/embeddings"))
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    String first = null;
    for (CompletableFuture<HttpResponse<String>> f : all) {
      HttpResponse<String> r = f.get();
      assertEquals(200, r.statusCode(), r.body());
      JsonNode e = HttpCalls.MAPPER.readTree(r.body()).get("data");
      first = first == null ? e.toString() : first;
      assertEquals(first, e.toString());
    }
    DedupeStats after = stats();
    assertEquals(1, after.decoded() - before.decoded(), "six requests, one decode");
    assertEquals(
        5,
        (after.shared() - before.shared()) + (after.features().hits() - before.features().hits()));
  }
}
