package dev.vitrail.runtime.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fenced code block of a documentation page, with the {@code <!-- docs-test: ... -->} marker on
 * the line before it, if any.
 *
 * @param page the page, relative to the repository root (e.g. {@code docs/http.md})
 * @param line the 1-based line of the opening fence
 * @param lang the fence's info string ({@code bash}, {@code java}, ...; empty when none)
 * @param marker the marker's text after {@code docs-test:}, or null
 * @param lines the block's lines
 */
public record DocBlock(String page, int line, String lang, String marker, List<String> lines) {
  private static final Pattern MODEL = Pattern.compile("^model\\s+([\\w.-]+)");

  public DocBlock {
    lines = List.copyOf(lines);
  }

  /** Where the block is, for failure messages. */
  public String where() {
    return page + ":" + line;
  }

  /** True when the page marks the block as not runnable in CI (it is still parsed and checked). */
  public boolean noRun() {
    return marker != null && marker.startsWith("no-run");
  }

  /** The fixture model a {@code docs-test: model NAME} block is served with, or null. */
  public String model() {
    if (marker == null) {
      return null;
    }
    Matcher m = MODEL.matcher(marker);
    return m.find() ? m.group(1) : null;
  }

  /** The shell commands of a bash block: continuation lines joined, comments kept beside them. */
  public List<ShellCommand> commands() {
    List<ShellCommand> out = new ArrayList<>();
    String comment = "";
    StringBuilder pending = null;
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (pending == null && l.strip().startsWith("#")) {
        comment = l.strip();
        continue;
      }
      if (pending == null && l.isBlank()) {
        continue;
      }
      if (pending == null) {
        pending = new StringBuilder();
        start = line + 1 + i;
      }
      if (l.endsWith("\\")) {
        pending.append(l, 0, l.length() - 1).append(' ');
        continue;
      }
      if (openQuote(pending + l)) { // a quoted argument spread over lines
        pending.append(l).append('\n');
        continue;
      }
      pending.append(stripTrailingComment(l));
      out.add(ShellCommand.parse(page + ":" + start, pending.toString().strip(), comment));
      pending = null;
      comment = "";
    }
    return out;
  }

  private static boolean openQuote(String s) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && !single) {
        i++;
      } else if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      }
    }
    return single || dbl;
  }

  private static String stripTrailingComment(String l) {
    // "cmd   # note": a '#' after two spaces outside quotes starts a comment (as in the README).
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < l.length(); i++) {
      char c = l.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single && (i == 0 || l.charAt(i - 1) != '\\')) {
        dbl = !dbl;
      } else if (c == '#' && !single && !dbl && i >= 2 && l.startsWith("  ", i - 2)) {
        return l.substring(0, i);
      }
    }
    return l;
  }
}
