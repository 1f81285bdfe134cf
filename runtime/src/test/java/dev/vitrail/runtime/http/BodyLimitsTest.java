package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.body;
import static dev.vitrail.runtime.http.EmbeddingServerTest.dataUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every size limit at the real defaults ({@code reference.conf}, not shrunken): just under (or at)
 * the limit is served, just over is 413 with its kind.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodyLimitsTest {
  private final HttpSettings defaults = HttpSettings.load().withAddress("127.0.0.1", 0);
  private ServedModel model;
  private EmbeddingServer server;
  private HttpCalls http;

  @BeforeAll
  void start() {
    model = ServedModel.open(EmbeddingServerTest.MODEL, "tiny", VitrailTestSettings.of(""));
    server = EmbeddingServer.start(model, defaults);
    http = new HttpCalls(server.address());
  }

  @AfterAll
  void stop() {
    server.close();
    model.close();
  }

  private static String png() {
    return dataUrl(TestImages.png(12, 10, 9), "image/png");
  }

  /** A valid request padded with JSON whitespace to exactly {@code size} bytes. */
  private static byte[] padded(int size) {
    byte[] json = body(png()).toString().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[size];
    Arrays.fill(out, (byte) ' ');
    System.arraycopy(json, 0, out, 0, json.length - 1);
    out[size - 1] = '}';
    return out;
  }

  private static String type(HttpResponse<byte[]> res) {
    return HttpCalls.json(res).get("error").get("type").asText();
  }

  @Test
  void aBodyOfMaxBodyBytesIsServedAndOneByteMoreIs413() {
    int max = Math.toIntExact(defaults.maxBodyBytes());
    assertEquals(64 << 20, max);
    assertEquals(200, http.post("/v1/embeddings", padded(max)).statusCode());
    HttpResponse<byte[]> over = http.post("/v1/embeddings", padded(max + 1));
    assertEquals(413, over.statusCode());
    assertEquals("body_too_large", type(over));
    assertEquals(200, http.post("/v1/embeddings", body(png())).statusCode());
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() {
    byte[] big = padded(Math.toIntExact(defaults.maxBodyBytes()) + 1);
    HttpResponse<byte[]> over = http.postStream("/v1/embeddings", new ByteArrayInputStream(big));
    assertEquals(413, over.statusCode());
    assertEquals("body_too_large", type(over));
  }

  @Test
  void anImageOfMaxImageBytesIsServedAndOneByteMoreIs413() {
    int max = Math.toIntExact(defaults.maxImageBytes());
    assertEquals(32 << 20, max);
    String at = Base64.getEncoder().encodeToString(LargeImages.pngOfSize(max));
    assertEquals(200, http.post("/v1/embeddings", body(at)).statusCode());
    String over = Base64.getEncoder().encodeToString(LargeImages.pngOfSize(max + 1));
    HttpResponse<byte[]> res = http.post("/v1/embeddings", body(over));
    assertEquals(413, res.statusCode());
    assertEquals("image_too_large", type(res));
  }

  @Test
  void anImageOfMaxImagePixelsIsServedAndOneRowMoreIs413InEveryFormat() {
    assertEquals(6144L * 4096, defaults.admission().maxImagePixels());
    byte[] at = LargeImages.flat(6144, 4096, "png");
    assertEquals(200, http.post("/v1/embeddings", body(dataUrl(at, "image/png"))).statusCode());
    for (byte[] over :
        new byte[][] {TestImages.pngHeaderOnly(6144, 4097), LargeImages.jpegClaiming(6144, 4097)}) {
      HttpResponse<byte[]> res = http.post("/v1/embeddings", body(dataUrl(over, "image/x")));
      assertEquals(413, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
      assertEquals("image_too_large", type(res));
    }
  }

  @Test
  void maxInputsImagesAreServedAndOneMoreIs413() {
    int max = defaults.maxInputs();
    assertEquals(64, max);
    String[] images = new String[max + 1];
    Arrays.fill(images, png());
    HttpResponse<byte[]> ok =
        http.post("/v1/embeddings", body((Object[]) Arrays.copyOf(images, max)));
    assertEquals(200, ok.statusCode());
    assertEquals(max, HttpCalls.json(ok).get("data").size());
    HttpResponse<byte[]> over = http.post("/v1/embeddings", body((Object[]) images));
    assertEquals(413, over.statusCode());
    assertEquals("body_too_large", type(over));
  }

  @Test
  void aMillionByOnePngIsRefusedQuicklyInBoundedMemory() {
    byte[] line = LargeImages.flat(1_000_000, 1, "png");
    long start = System.nanoTime();
    HttpResponse<byte[]> res = http.post("/v1/embeddings", body(dataUrl(line, "image/png")));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(413, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    assertEquals("image_too_large", type(res));
    assertTrue(millis < 10_000, millis + " ms");
  }
}
