package dev.vitrail.bench.encoders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory from {@code /proc/self/status}, split into anonymous pages and
 * file-backed pages (the memory-mapped checkpoint counts as the latter once touched).
 *
 * @param anonBytes {@code RssAnon}
 * @param fileBytes {@code RssFile}
 */
record ResidentMemory(long anonBytes, long fileBytes) {
  static ResidentMemory now() {
    try {
      long anon = -1;
      long file = -1;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("RssAnon:")) {
          anon = kib(line);
        } else if (line.startsWith("RssFile:")) {
          file = kib(line);
        }
      }
      if (anon < 0 || file < 0) {
        throw new IllegalStateException("/proc/self/status has no RssAnon/RssFile");
      }
      return new ResidentMemory(anon, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long kib(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
  }

  long total() {
    return anonBytes + fileBytes;
  }

  /** "total/anon/file" growth since {@code base}, each divided by {@code bytes}. */
  String ratioSince(ResidentMemory base, long bytes) {
    return String.format(
        "%.3f(anon %.3f, file %.3f)",
        (total() - base.total()) / (double) bytes,
        (anonBytes - base.anonBytes) / (double) bytes,
        (fileBytes - base.fileBytes) / (double) bytes);
  }
}
