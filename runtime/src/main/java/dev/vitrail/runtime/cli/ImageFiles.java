package dev.vitrail.runtime.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the images named on the command line: files as given, folders walked for image extensions.
 */
final class ImageFiles {
  /**
   * Extensions picked up when walking folders (files named directly are taken whatever their name).
   */
  static final Set<String> EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "bmp", "gif", "webp", "tif", "tiff");

  private ImageFiles() {}

  /** The images under {@code paths}, folders in sorted order; a missing path is an error. */
  static List<ImageFile> collect(List<Path> paths) {
    List<ImageFile> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        for (Path f : walk(p)) {
          add(out, names, p.relativize(f).toString().replace('\\', '/'), f);
        }
      } else if (Files.isRegularFile(p)) {
        add(out, names, p.getFileName().toString(), p);
      } else {
        throw new CliException("no such file or folder: " + p);
      }
    }
    if (out.isEmpty()) {
      throw new CliException("no images found in " + paths + " (looked for " + EXTENSIONS + ")");
    }
    return out;
  }

  private static void add(List<ImageFile> out, Set<String> names, String name, Path file) {
    String unique = names.contains(name) ? file.normalize().toString().replace('\\', '/') : name;
    if (names.add(unique)) {
      out.add(new ImageFile(unique, file));
    }
  }

  private static List<Path> walk(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(ImageFiles::isImageName).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  static boolean isImageName(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = n.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1));
  }
}
