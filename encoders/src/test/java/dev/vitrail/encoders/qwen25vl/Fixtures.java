package dev.vitrail.encoders.qwen25vl;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Fixture root: {@code -Dvitrail.fixtures} when set, else the copy in test resources. */
final class Fixtures {
  private Fixtures() {}

  static Path root() {
    String dir = System.getProperty("vitrail.fixtures", "");
    if (!dir.isBlank()) {
      return Path.of(dir);
    }
    try {
      return Path.of(Fixtures.class.getResource("/golden").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("test resources not on a file path", e);
    }
  }
}
