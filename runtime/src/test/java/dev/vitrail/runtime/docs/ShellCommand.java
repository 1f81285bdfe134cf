package dev.vitrail.runtime.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command line of a documented shell example, split as bash would split it (quotes removed;
 * {@code $(...)} and {@code $VAR} kept literally).
 *
 * @param where page and line
 * @param text the command as written (continuations joined)
 * @param env the leading {@code NAME=value} assignments
 * @param words the command and its arguments (a trailing {@code &} dropped)
 * @param comment the {@code #} comment line right above it, or empty
 */
public record ShellCommand(
    String where, String text, Map<String, String> env, List<String> words, String comment) {
  public ShellCommand {
    env = Map.copyOf(env);
    words = List.copyOf(words);
  }

  /** Splits {@code text} into leading assignments and words. */
  public static ShellCommand parse(String where, String text, String comment) {
    List<String> all = split(text);
    if (!all.isEmpty() && all.get(all.size() - 1).equals("&")) {
      all.remove(all.size() - 1);
    }
    Map<String, String> env = new LinkedHashMap<>();
    int i = 0;
    while (i < all.size() && all.get(i).matches("[A-Z_][A-Z0-9_]*=.*")) {
      String a = all.get(i++);
      env.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    return new ShellCommand(where, text, env, all.subList(i, all.size()), comment);
  }

  /** The program: the first word. */
  public String program() {
    return words.isEmpty() ? "" : words.get(0);
  }

  /** The arguments after the program. */
  public List<String> args() {
    return words.isEmpty() ? List.of() : words.subList(1, words.size());
  }

  /** A bare variable assignment ({@code IMG=$(...)}), which sets up later commands. */
  public boolean isAssignment() {
    return words.isEmpty() && !env.isEmpty();
  }

  static List<String> split(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder w = null;
    int depth = 0; // inside $( ... ), kept literally
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (depth == 0 && Character.isWhitespace(c)) {
        if (w != null) {
          out.add(w.toString());
          w = null;
        }
        continue;
      }
      if (w == null) {
        w = new StringBuilder();
      }
      if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
        depth++;
        w.append("$(");
        i++;
      } else if (c == ')' && depth > 0) {
        depth--;
        w.append(c);
      } else if (depth > 0) {
        w.append(c);
      } else if (c == '\'') {
        int end = s.indexOf('\'', i + 1);
        w.append(s, i + 1, end);
        i = end;
      } else if (c == '"') {
        i = doubleQuoted(s, i + 1, w);
      } else if (c == '\\' && i + 1 < s.length()) {
        w.append(s.charAt(++i));
      } else {
        w.append(c);
      }
    }
    if (w != null) {
      out.add(w.toString());
    }
    return out;
  }

  private static int doubleQuoted(String s, int i, StringBuilder w) {
    int depth = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) {
        w.append(s.charAt(++i));
      } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
        depth++;
        w.append("$(");
        i++;
      } else if (c == ')' && depth > 0) {
        depth--;
        w.append(c);
      } else if (c == '"' && depth == 0) {
        return i;
      } else {
        w.append(c);
      }
    }
    throw new IllegalArgumentException("unclosed double quote in: " + s);
  }
}
