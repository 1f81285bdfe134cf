package dev.vitrail.encoders.golden;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The fixture root: {@code -Dvitrail.fixtures} when set and non-empty, else the copy in test resources. */
public final class Fixtures {
  private Fixtures() {}

  /** The root directory, same layout as the shared fixtures. */
  public static Path root() {
    String prop = System.getProperty("vitrail.fixtures");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    URL url = Fixtures.class.getResource("/golden");
    if (url == null) {
      throw new IllegalStateException("no golden/ folder in test resources");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A model fixture folder, e.g. {@code clip-tiny}. */
  public static Path model(String name) {
    return root().resolve("models").resolve(name);
  }
}
