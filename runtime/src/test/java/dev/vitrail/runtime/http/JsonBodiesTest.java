package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {
  private static final ObjectMapper MAPPER = JsonBodies.STRICT;

  private static String base64(int bytes, long seed) {
    byte[] raw = new byte[bytes];
    new Random(seed).nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTheSameTreeAsJacksonForEveryKindOfString() throws Exception {
    String image = "data:image/png;base64," + base64(30_000, 1);
    String escaped = "data:image/png;base64," + base64(9_000, 2).replace("/", "\\/");
    String unicode = "é".repeat(5000) + "\\u00e9\\n" + "x".repeat(5000);
    String[] bodies = {
      "{\"model\":\"m\",\"input\":\"" + image + "\"}",
      "{\"input\":[\""
          + image
          + "\",{\"type\":\"image_url\",\"image_url\":{\"url\":\""
          + image
          + "\"}}],\"user\":\"u\"}",
      "{\"input\":\"" + escaped + "\"}",
      "{\"input\":\"" + unicode + "\"}",
      " [ \"" + image + "\" , \"short\" ] ",
    };
    for (String body : bodies) {
      JsonNode expected = MAPPER.readTree(utf8(body));
      JsonNode actual = JsonBodies.readTree(MAPPER, utf8(body));
      assertEquals(expected, actual, body.substring(0, 60));
    }
    JsonNode tree = JsonBodies.readTree(MAPPER, utf8(bodies[2]));
    assertTrue(tree.get("input").asText().contains("/"), "escapes are Jackson's");
  }

  @Test
  void keepsJacksonsStrictnessAndErrors() throws Exception {
    String image = base64(12_000, 3);
    String[] invalid = {
      "{\"input\":\"" + image + "\"} trailing",
      "{\"input\":\"" + image + "\",\"input\":\"" + image + "\"}",
      "{\"input\":\"" + image + "\u0001" + image + "\"}",
      "{\"input\":\"" + image,
    };
    for (String body : invalid) {
      JsonProcessingException expected =
          assertThrows(JsonProcessingException.class, () -> MAPPER.readTree(utf8(body)));
      JsonProcessingException actual =
          assertThrows(
              JsonProcessingException.class, () -> JsonBodies.readTree(MAPPER, utf8(body)));
      assertEquals(expected.getOriginalMessage(), actual.getOriginalMessage());
    }
    assertTrue(JsonBodies.readTree(MAPPER, new byte[0]).isMissingNode());
  }

  @Test
  void aBase64BodyCostsAboutOneCopyOfItsText() throws Exception {
    byte[] body = utf8("{\"input\":\"data:image/jpeg;base64," + base64(3_000_000, 4) + "\"}");
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long before = threads.getThreadAllocatedBytes(id);
      JsonNode tree = JsonBodies.readTree(MAPPER, body);
      byte[] image = ImageSources.decode(tree.get("input").asText(), 0, Long.MAX_VALUE);
      best = Math.min(best, threads.getThreadAllocatedBytes(id) - before);
      assertEquals(3_000_000, image.length);
    }
    double perByte = (double) best / body.length;
    // The string (1 B/char), its bytes for the decoder (1) and the image (0.75); Jackson's own
    // path allocates 6.7 B per body byte.
    assertTrue(perByte < 3.2, "allocated " + perByte + " B per body byte");
  }
}
