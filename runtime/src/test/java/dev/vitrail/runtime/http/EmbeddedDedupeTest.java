package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.runtime.api.EncodeInput;
import dev.vitrail.runtime.api.EncodeRequest;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.dedupe.DedupeSettings;
import dev.vitrail.runtime.dedupe.DedupeStats;
import dev.vitrail.runtime.model.ServedModel;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dedupe before decode in the embedded API ({@code Vitrail.encode} with encoded images): a repeat
 * is neither decoded nor encoded again and equals a direct tower call; the HTTP server with the
 * same dedupe settings shares the model's caches, so an image the embedded API encoded is a hit
 * over HTTP.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedDedupeTest {
  private static final DedupeSettings DEDUPE = new DedupeSettings(8 << 20, 64, 4 << 20, 16);
  private ServedModel model;
  private FeatureEncoder tower;

  @BeforeAll
  void start() {
    Config config =
        ConfigFactory.parseString(
                "vitrail.http.dedupe { max-bytes = 8m, max-entries = 64, pixel-max-bytes = 4m,"
                    + " pixel-max-entries = 16 }")
            .withFallback(ConfigFactory.load());
    model =
        ServedModel.open(
            EmbeddingServerTest.MODEL,
            null,
            VitrailTestSettings.of("vitrail.workers { count = 1, batch-limit = 4 }"),
            config);
    tower = FeatureEncoders.open(EmbeddingServerTest.MODEL, EncoderOptions.cpu());
  }

  @AfterAll
  void stop() {
    tower.close();
    model.close();
  }

  private FeatureOutput direct(byte[] image) {
    return tower
        .encode(
            List.of(ImageProcessors.forModel(EmbeddingServerTest.MODEL).process(image)),
            FeatureSpec.defaults())
        .get(0);
  }

  private List<FeatureOutput> encode(byte[]... images) throws Exception {
    List<EncodeInput> inputs = java.util.Arrays.stream(images).map(EncodeInput::of).toList();
    return model
        .vitrail()
        .encode(new EncodeRequest("t", inputs, FeatureSpec.defaults(), 0))
        .get()
        .features();
  }

  private DedupeStats stats() {
    return model.vitrail().dedupe().stats();
  }

  @Test
  void aRepeatedImageIsNeitherDecodedNorEncodedAgain() throws Exception {
    assertEquals(DEDUPE, model.vitrail().dedupe().settings());
    byte[] a = TestImages.png(40, 30, 91);
    byte[] b = TestImages.encoded(33, 21, 92, "jpg");
    DedupeStats before = stats();
    List<FeatureOutput> first = encode(a, b, a);
    DedupeStats mid = stats();
    assertEquals(2, mid.decoded() - before.decoded(), "a twice in one request: decoded once");
    assertEquals(1, mid.shared() - before.shared());
    List<FeatureOutput> again = encode(b, a);
    DedupeStats after = stats();
    assertEquals(0, after.decoded() - mid.decoded(), "a repeat decodes nothing");
    assertEquals(2, after.features().hits() - mid.features().hits());
    assertArrayEquals(first.get(0).values(), again.get(1).values());
    assertArrayEquals(first.get(1).values(), again.get(0).values());
    EmbeddingServerTest.assertClose(direct(a), first.get(2).shape(), first.get(2).values());
    EmbeddingServerTest.assertClose(direct(b), again.get(0).shape(), again.get(0).values());
  }

  @Test
  void aBadImageFailsTheRequestAndIsNotCached() throws Exception {
    byte[] good = TestImages.png(20, 20, 93);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> encode(good, new byte[] {1, 2, 3, 4}));
    assertTrue(e.getCause().getMessage().contains("image"), e.getCause().toString());
    DedupeStats before = stats();
    EmbeddingServerTest.assertClose(
        direct(good), direct(good).shape(), encode(good).get(0).values());
    assertEquals(1, stats().features().misses() - before.features().misses());
  }

  @Test
  void theServerSharesTheModelsCaches() throws Exception {
    try (EmbeddingServer server =
        EmbeddingServer.start(model, EmbeddingServerTest.SETTINGS.withDedupe(DEDUPE))) {
      byte[] c = TestImages.png(26, 34, 94);
      encode(c);
      DedupeStats before = stats();
      HttpCalls http = new HttpCalls(server.address());
      JsonNode item =
          HttpCalls.json(
                  http.post(
                      "/v1/embeddings",
                      ("{\"input\":[\"" + ShapeServer.dataUrl(c) + "\"]}").getBytes()))
              .get("data")
              .get(0);
      DedupeStats after = stats();
      assertEquals(0, after.decoded() - before.decoded(), "encoded by the embedded API already");
      assertEquals(1, after.features().hits() - before.features().hits());
      assertEquals(after.features().hits(), server.metrics().dedupe().features().hits());
      EmbeddingServerTest.assertClose(
          direct(c),
          EmbeddingServerTest.ints(item.get("shape")),
          EmbeddingServerTest.floats(item.get("embedding")));
    }
  }
}
