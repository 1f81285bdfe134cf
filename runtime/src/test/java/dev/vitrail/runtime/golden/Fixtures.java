package dev.vitrail.runtime.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Where golden fixtures live: {@code -Dvitrail.fixtures=DIR} if set, else the test-resource copy.
 */
public final class Fixtures {
  /**
   * The JUnit tag of the tests that load models from the fixture root and take every size from
   * them: the build runs them a second time on {@code tools/fixtures/alt} (other geometry).
   */
  public static final String TAG = "fixtures";

  private Fixtures() {}

  /** The fixture root directory (same layout as the shared fixture set). */
  public static Path root() {
    String dir = System.getProperty("vitrail.fixtures", "");
    if (!dir.isBlank()) {
      return Path.of(dir);
    }
    try {
      return Path.of(Fixtures.class.getResource("/golden").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a JSON fixture relative to {@link #root()}. */
  public static JsonNode json(String relative) {
    try {
      return new ObjectMapper().readTree(root().resolve(relative).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
