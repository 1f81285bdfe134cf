package dev.vitrail.runtime.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The documentation pages (README.md, ARCHITECTURE.md, docs/*.md) and their code blocks. */
public final class DocPages {
  private static final Pattern MARKER = Pattern.compile("<!--\\s*docs-test:\\s*(.*?)\\s*-->");

  private DocPages() {}

  /** The repository root: the nearest folder above the working directory with {@code .ci/run}. */
  public static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(".ci/run")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no repository root with .ci/run and docs/ above " + Path.of(""));
  }

  /** Every page, relative to the root, README.md first. */
  public static List<String> pages() {
    Path root = root();
    List<String> out = new ArrayList<>(List.of("README.md"));
    if (Files.isRegularFile(root.resolve("ARCHITECTURE.md"))) {
      out.add("ARCHITECTURE.md");
    }
    try (Stream<Path> s = Files.list(root.resolve("docs"))) {
      s.map(p -> "docs/" + p.getFileName())
          .filter(n -> n.endsWith(".md"))
          .sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The text of a page. */
  public static String text(String page) {
    try {
      return Files.readString(root().resolve(page));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every fenced code block of every page. */
  public static List<DocBlock> blocks() {
    List<DocBlock> out = new ArrayList<>();
    for (String page : pages()) {
      out.addAll(blocks(page, text(page)));
    }
    return out;
  }

  /** The fenced code blocks of one page's text. */
  static List<DocBlock> blocks(String page, String text) {
    List<DocBlock> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (!lines[i].startsWith("```")) {
        continue;
      }
      String lang = lines[i].substring(3).strip();
      String marker = null;
      if (i > 0 && lines[i - 1].strip().startsWith("<!--")) {
        Matcher m = MARKER.matcher(lines[i - 1]);
        marker = m.find() ? m.group(1) : null;
      }
      int start = i;
      List<String> body = new ArrayList<>();
      for (i++; i < lines.length && !lines[i].startsWith("```"); i++) {
        body.add(lines[i]);
      }
      if (i == lines.length) {
        throw new IllegalStateException(page + ":" + (start + 1) + ": unclosed code fence");
      }
      out.add(new DocBlock(page, start + 1, lang, marker, body));
    }
    return out;
  }

  /** Every {@code docs-test} marker of a page, with its line, whether a fence follows or not. */
  static List<String> markers(String page) {
    List<String> out = new ArrayList<>();
    String[] lines = text(page).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = MARKER.matcher(lines[i]);
      if (lines[i].strip().startsWith("<!--") && m.find()) {
        boolean fenced = i + 1 < lines.length && lines[i + 1].startsWith("```");
        out.add(
            page + ":" + (i + 1) + (fenced ? "" : " (no code block follows)") + ": " + m.group(1));
      }
    }
    return out;
  }

  /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
  static String anchor(String heading) {
    String s = heading.strip().toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
        out.append(c);
      } else if (c == ' ') {
        out.append('-');
      }
    }
    return out.toString();
  }

  /** The anchors of a page's headings (outside code blocks). */
  static List<String> anchors(String page) {
    List<String> out = new ArrayList<>();
    boolean code = false;
    for (String l : text(page).split("\n")) {
      if (l.startsWith("```")) {
        code = !code;
      } else if (!code && l.startsWith("#")) {
        out.add(anchor(l.replaceFirst("^#+", "")));
      }
    }
    return out;
  }
}
