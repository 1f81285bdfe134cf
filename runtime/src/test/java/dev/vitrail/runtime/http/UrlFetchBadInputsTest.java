package dev.vitrail.runtime.http;

import static dev.vitrail.runtime.http.EmbeddingServerTest.assertClose;
import static dev.vitrail.runtime.http.EmbeddingServerTest.floats;
import static dev.vitrail.runtime.http.EmbeddingServerTest.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.runtime.fetch.ImageOrigin;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Refused and failed URLs: each gets its documented status, error type and a message naming the
 * problem, in the JSON envelope, and the same server answers a good request correctly right after.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UrlFetchBadInputsTest {
  private FetchServers s;
  private final byte[] good = TestImages.png(24, 24, 41);
  private FeatureOutput want;

  /** One bad URL: which server, the URL, and what must come back. */
  record Case(String name, char server, String url, int status, String type, String says) {}

  @BeforeAll
  void start() {
    s = new FetchServers();
    s.origin.image("good.png", good);
    s.origin.image("big.png", TestImages.png(200, 200, 42)); // 100-200 kB: over max-image-bytes
    want = s.pooled(good);
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private HttpCalls server(char which) {
    return switch (which) {
      case 'o' -> s.offHttp;
      case 'h' -> s.httpsHttp;
      default -> s.onHttp;
    };
  }

  private String redirect(String to) {
    return s.origin.url("/redirect?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8));
  }

  private List<Case> cases() {
    String o = s.origin.url("");
    return List.of(
        new Case("fetching off", 'o', o + "/img/good.png", 422, "url_fetch_disabled", "fetch"),
        new Case("file URL", 'n', "file:///etc/passwd", 422, "invalid_image", "file:"),
        new Case("http when https-only", 'h', o + "/img/good.png", 403, "url_not_allowed", "http"),
        new Case(
            "host not allowed",
            'n',
            "http://example.com/a.png",
            403,
            "url_not_allowed",
            "example.com"),
        new Case(
            "metadata literal",
            'n',
            "http://169.254.169.254/latest/meta-data/",
            403,
            "url_not_allowed",
            "169.254.169.254"),
        new Case(
            "user info",
            'n',
            "http://user:pw@127.0.0.1/a.png",
            400,
            "malformed_request",
            "user info"),
        new Case("bad URL syntax", 'n', "http://[bad/a.png", 400, "malformed_request", "input[0]"),
        new Case(
            "name -> private",
            'n',
            "http://private.test/a.png",
            403,
            "url_address_refused",
            "10.1.2.3"),
        new Case(
            "name -> metadata",
            'n',
            "http://metadata.test/a.png",
            403,
            "url_address_refused",
            "metadata"),
        new Case(
            "name -> ULA",
            'n',
            "http://ula.test/a.png",
            403,
            "url_address_refused",
            "unique local"),
        new Case(
            "name -> CGNAT", 'n', "http://cgnat.test/a.png", 403, "url_address_refused", "100.64"),
        new Case(
            "name -> IPv4-mapped private",
            'n',
            "http://mapped.test/a.png",
            403,
            "url_address_refused",
            "private"),
        new Case(
            "unknown host", 'n', "http://unknown.test/a.png", 422, "url_fetch_failed", "resolve"),
        new Case(
            "redirect to metadata name",
            'n',
            redirect("http://metadata.test/x"),
            403,
            "url_address_refused",
            "169.254.169.254"),
        new Case(
            "redirect to private name",
            'n',
            redirect("http://private.test/x"),
            403,
            "url_address_refused",
            "10.1.2.3"),
        new Case(
            "redirect to other loopback",
            'n',
            redirect("http://127.0.0.2:9/x"),
            403,
            "url_not_allowed",
            "127.0.0.2"),
        new Case(
            "redirect to metadata literal",
            'n',
            redirect("http://169.254.169.254/"),
            403,
            "url_not_allowed",
            "169.254.169.254"),
        new Case("redirect loop", 'n', o + "/loop", 422, "url_too_many_redirects", "max-redirects"),
        new Case(
            "redirect without Location", 'n', o + "/noloc", 422, "url_fetch_failed", "Location"),
        new Case("origin 404", 'n', o + "/missing", 422, "url_fetch_failed", "404"),
        new Case(
            "connection refused",
            'n',
            "http://127.0.0.1:1/a.png",
            422,
            "url_fetch_failed",
            "127.0.0.1:1"),
        new Case("endless body", 'n', o + "/endless", 413, "url_too_large", "max-bytes"),
        new Case("declared huge body", 'n', o + "/declared", 413, "url_too_large", "1073741824"),
        new Case(
            "image over max-image-bytes",
            'n',
            o + "/img/big.png",
            413,
            "image_too_large",
            "max-image-bytes"),
        new Case("slow server", 'n', o + "/slow", 422, "url_timeout", "timed out"),
        new Case("stalled body", 'n', o + "/stall", 422, "url_timeout", "timed out"),
        new Case("HTML page", 'n', o + "/html", 422, "url_not_image", "text/html"),
        new Case("garbage PNG", 'n', o + "/garbage", 422, "invalid_image", "input[0]"));
  }

  @Test
  void eachRefusalHasItsStatusAndTheServerStillAnswers() {
    List<Case> all = cases();
    assertTrue(all.size() >= 25);
    for (Case c : all) {
      HttpCalls http = server(c.server());
      String body =
          "{\"input\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\""
              + c.url()
              + "\"}}],\"pooled\":true}";
      HttpResponse<byte[]> res = http.post("/v1/embeddings", body.getBytes(StandardCharsets.UTF_8));
      String text = new String(res.body(), StandardCharsets.UTF_8);
      assertEquals(c.status(), res.statusCode(), c.name() + ": " + text);
      JsonNode err = HttpCalls.json(res).get("error");
      assertEquals(c.type(), err.get("type").asText(), c.name() + ": " + text);
      assertEquals(c.status(), err.get("code").asInt(), c.name());
      assertTrue(err.get("message").asText().contains(c.says()), c.name() + ": " + text);
      goodStillWorks(http, c.name());
    }
    assertTrue(
        s.origin.endlessWritten.get() < ImageOrigin.ENDLESS / 4,
        "the endless body was cut while streaming: " + s.origin.endlessWritten.get());
  }

  private void goodStillWorks(HttpCalls http, String after) {
    String url = http == s.onHttp ? s.origin.url("/img/good.png") : ShapeServer.dataUrl(good);
    String body = "{\"input\":[\"" + url + "\"],\"pooled\":true}";
    HttpResponse<byte[]> res = http.post("/v1/embeddings", body.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, res.statusCode(), "after " + after);
    JsonNode item = HttpCalls.json(res).get("data").get(0);
    assertClose(want, ints(item.get("shape")), floats(item.get("embedding")));
  }

  @Test
  void fullFetchSlotsAnswerBusyAndFetchesHoldTheBodyBudget() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String held = "{\"input\":[\"" + s.origin.url("/hold") + "\"],\"pooled\":true}";
    s.origin.holdNext();
    int before = s.origin.held.get();
    List<CompletableFuture<HttpResponse<byte[]>>> running = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      running.add(
          client.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + s.on.address().getPort() + "/v1/embeddings"))
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofString(held))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (s.origin.held.get() - before < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(2, s.origin.held.get() - before, "both fetches reached the origin");
    String metrics = new String(s.onHttp.get("/metrics").body(), StandardCharsets.UTF_8);
    long reserved =
        metrics
            .lines()
            .filter(l -> l.startsWith("vitrail_http_body_bytes_in_flight "))
            .mapToLong(l -> Long.parseLong(l.split(" ")[1]))
            .findFirst()
            .orElseThrow();
    assertTrue(reserved >= 2 * FetchServers.FETCH_BYTES, "fetches hold body budget: " + reserved);
    HttpResponse<byte[]> busy =
        s.onHttp.post(
            "/v1/embeddings",
            ("{\"input\":[\"" + s.origin.url("/img/good.png") + "\"]}")
                .getBytes(StandardCharsets.UTF_8));
    assertEquals(503, busy.statusCode(), new String(busy.body(), StandardCharsets.UTF_8));
    assertEquals("busy", HttpCalls.json(busy).get("error").get("type").asText());
    assertTrue(busy.headers().firstValue("Retry-After").isPresent());
    s.origin.releaseHeld();
    for (CompletableFuture<HttpResponse<byte[]>> r : running) {
      assertEquals(200, r.get(60, TimeUnit.SECONDS).statusCode());
    }
    goodStillWorks(s.onHttp, "busy");
  }
}
