package dev.vitrail.encoders.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where golden tests read fixtures: {@code -Dvitrail.fixtures=DIR}, else the test-resource copy.
 */
final class Fixtures {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  static Path root() {
    String dir = System.getProperty("vitrail.fixtures", "");
    if (!dir.isBlank()) {
      return Paths.get(dir);
    }
    try {
      return Paths.get(Fixtures.class.getResource("/golden").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path preprocess() {
    return root().resolve("preprocess");
  }

  static JsonNode json(String name) throws IOException {
    return MAPPER.readTree(preprocess().resolve(name).toFile());
  }

  static byte[] bytes(String relative) throws IOException {
    return Files.readAllBytes(preprocess().resolve(relative));
  }
}
