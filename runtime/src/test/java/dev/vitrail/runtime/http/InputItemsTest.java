package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputItemsTest {
  private static final String B64 = "iVBORw0KGgoAAAANSUhEUgAAABEAAAAXCAIAAABrvZPKAAAA";
  private static final String MODALITY = "model 'm' (clip) is an image encoder";

  private static JsonNode json(String s) {
    try {
      return HttpCalls.MAPPER.readTree(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<String> sources(String input, String messages) {
    return InputItems.sources(
        input == null ? null : json(input), messages == null ? null : json(messages), MODALITY);
  }

  @Test
  void everyShapeFlattensInOrder() {
    String d = "data:image/png;base64," + B64;
    List<String> got =
        sources(
            "[\""
                + d
                + "\", {\"type\":\"image_url\",\"image_url\":{\"url\":\"u1\"}},"
                + " {\"type\":\"image_url\",\"image_url\":\"u2\"}, {\"type\":\"image\",\"image\":\"u3\"},"
                + " {\"image\":\"u4\"}, {\"image_url\":{\"url\":\"u5\"}},"
                + " {\"role\":\"user\",\"content\":[{\"type\":\"image\",\"image\":\"u6\"},"
                + " {\"type\":\"image_url\",\"image_url\":{\"url\":\"u7\"}}]}]",
            null);
    assertEquals(List.of(d, "u1", "u2", "u3", "u4", "u5", "u6", "u7"), got);
    assertEquals(List.of(B64), sources("\"" + B64 + "\"", null));
    assertEquals(
        List.of("a", "b"),
        sources(
            null,
            "[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"image\":\"a\"}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"image\":\"b\"}]}]"));
  }

  @Test
  void textIsRefusedNamingTheModality() {
    for (String[] bad :
        new String[][] {
          {"[\"a photo of a cat\"]", null},
          {"[\"cat\"]", null},
          {"[\"" + B64.substring(0, 20) + "\"]", null},
          {"[{\"type\":\"text\",\"text\":\"x\"}]", null},
          {"[{\"text\":\"x\"}]", null},
          {null, "[{\"role\":\"user\",\"content\":\"describe\"}]"},
        }) {
      ApiException e = assertThrows(ApiException.class, () -> sources(bad[0], bad[1]));
      assertEquals(ErrorKind.MALFORMED_REQUEST, e.kind());
      assertTrue(e.getMessage().contains(MODALITY), e.getMessage());
    }
  }
}
