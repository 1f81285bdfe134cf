package dev.vitrail.runtime.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A scratch copy of the repository's {@code samples/} and {@code models/}, where examples run. */
public final class ExampleFolder {
  private ExampleFolder() {}

  /**
   * Copies {@code samples/} and {@code models/} into {@code dir} (the examples write beside them).
   */
  public static void copyInto(Path dir) {
    for (String sub : List.of("samples", "models")) {
      Path from = DocPages.root().resolve(sub);
      try (Stream<Path> s = Files.walk(from)) {
        for (Path p : s.toList()) {
          Path to = dir.resolve(sub).resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
