package dev.vitrail.runtime.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings key each {@code VITRAIL_*} environment variable sets, read from the {@code key =
 * ${?VITRAIL_X}} lines of every {@code reference.conf} on the class path, so a documented {@code
 * VITRAIL_X=v ./vitrail ...} can run in-process as {@code -Dkey=v}.
 */
public final class EnvSettings {
  private static final Pattern OPEN = Pattern.compile("^\\s*([a-z0-9-]+)\\s*\\{\\s*$");
  private static final Pattern CLOSE = Pattern.compile("^\\s*\\}\\s*$");
  private static final Pattern ENV =
      Pattern.compile("^\\s*([a-z0-9-]+)\\s*=\\s*\\$\\{\\?(VITRAIL_[A-Z0-9_]+)\\}");

  private EnvSettings() {}

  /** Environment variable to settings key. */
  public static Map<String, String> keys() {
    Map<String, String> out = new HashMap<>();
    try {
      for (URL url :
          Collections.list(EnvSettings.class.getClassLoader().getResources("reference.conf"))) {
        String text;
        try (InputStream in = url.openStream()) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Deque<String> path = new ArrayDeque<>();
        for (String line : text.split("\n")) {
          Matcher m;
          if ((m = OPEN.matcher(line)).find()) {
            path.addLast(m.group(1));
          } else if (CLOSE.matcher(line).find()) {
            path.pollLast();
          } else if ((m = ENV.matcher(line)).find()) {
            out.put(m.group(2), String.join(".", path) + "." + m.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The system properties a documented environment sets: {@code VITRAIL_JAVA_OPTS}'s {@code -D}
   * flags and each {@code VITRAIL_*} variable's key; an unknown variable is an error.
   */
  public static Map<String, String> properties(Map<String, String> env) {
    Map<String, String> keys = keys();
    Map<String, String> out = new HashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.equals("VITRAIL_JAVA_OPTS")) {
            for (String flag : value.split("\\s+")) {
              if (flag.startsWith("-D") && flag.contains("=")) {
                out.put(
                    flag.substring(2, flag.indexOf('=')), flag.substring(flag.indexOf('=') + 1));
              }
            }
          } else if (keys.containsKey(name)) {
            out.put(keys.get(name), value);
          } else {
            throw new AssertionError("no setting reads the environment variable " + name);
          }
        });
    return out;
  }
}
