package dev.vitrail.encoders.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The golden fixture root: {@code -Dvitrail.fixtures=DIR} when set and non-empty, else the copy in
 * the test resources ({@code golden/}, laid out like the shared fixtures directory).
 */
public final class Fixtures {
  /**
   * The JUnit tag of the tests that load models from the fixture root and take every size from
   * them: the build runs them a second time on {@code tools/fixtures/alt} (other geometry).
   */
  public static final String TAG = "fixtures";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  /** The fixture root directory. */
  public static Path root() {
    String override = System.getProperty("vitrail.fixtures");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    URL url = Fixtures.class.getResource("/golden");
    if (url == null) {
      throw new IllegalStateException("no golden/ directory in the test resources");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad resource URL " + url, e);
    }
  }

  /** A fixture file by its path relative to the root, e.g. {@code functions/dp_sharded.json}. */
  public static Path file(String relative) {
    return root().resolve(relative);
  }

  /** Reads a JSON fixture. */
  public static JsonNode json(String relative) {
    try {
      return MAPPER.readTree(file(relative).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fixture " + relative, e);
    }
  }
}
