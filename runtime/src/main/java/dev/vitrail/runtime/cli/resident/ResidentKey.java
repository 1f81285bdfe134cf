package dev.vitrail.runtime.cli.resident;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which resident JVM may run a command: the one started with the same JVM command line (class path
 * and flags), from the same folder (relative paths), with the same environment (settings and native
 * libraries read it) and the same class-path files (a rebuild makes a new one). The key is a digest
 * of all of it, so a resident JVM only ever runs commands that a JVM started afresh would have run
 * with exactly its state.
 */
final class ResidentKey {
  /**
   * Variables a shell or terminal sets per session or per call that no Vitrail code reads; leaving
   * them out lets two terminals share one resident JVM.
   */
  private static final Set<String> SESSION_VARIABLES =
      Set.of(
          "_",
          "SHLVL",
          "VITRAIL_RESIDENT",
          "OLDPWD",
          "PWD",
          "WINDOWID",
          "TERM_SESSION_ID",
          "TMUX_PANE",
          "STY",
          "SSH_CLIENT",
          "SSH_CONNECTION",
          "SSH_TTY",
          "SSH_AUTH_SOCK",
          "PS1",
          "PROMPT_COMMAND");

  private ResidentKey() {}

  /**
   * The key (20 hex digits) for {@code command} (the resident JVM's command line) run from {@code
   * cwd} with {@code env}; {@code stamps} names each class-path file's size and time, in order.
   */
  static String of(List<String> command, String cwd, Map<String, String> env, List<String> stamps) {
    // Loops and a plain hash, not lambdas and MessageDigest: this runs in the launcher's client on
    // every command, where each costs a JVM start tens of milliseconds (the security providers,
    // lambda spinning). Accidental collisions are what matters here: the folder is private.
    Hash h = new Hash();
    h.add("command");
    for (String s : command) {
      h.add(s);
    }
    h.add("cwd");
    h.add(cwd);
    h.add("env");
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (!SESSION_VARIABLES.contains(e.getKey())) {
        h.add(e.getKey());
        h.add(e.getValue());
      }
    }
    h.add("stamps");
    for (String s : stamps) {
      h.add(s);
    }
    return h.hex();
  }

  /** Size and time of each class-path file of {@code command}, in order. */
  static List<String> classPathStamps(List<String> command) throws IOException {
    List<String> stamps = new ArrayList<>();
    for (int i = 0; i + 1 < command.size(); i++) {
      String flag = command.get(i);
      if (flag.equals("-cp") || flag.equals("-classpath") || flag.equals("--class-path")) {
        for (String entry : command.get(i + 1).split(File.pathSeparator)) {
          Path p = Path.of(entry);
          // StringBuilder, not +: string concatenation's bootstrap costs the client's JVM ~20 ms
          StringBuilder stamp = new StringBuilder(entry);
          if (Files.isRegularFile(p)) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            stamp.append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().toMillis());
          } else {
            stamp.append(Files.exists(p) ? " folder" : " missing");
          }
          stamps.add(stamp.toString());
        }
      }
    }
    return stamps;
  }

  /** Two 64-bit FNV-1a lanes with different offsets over length-prefixed UTF-8 words. */
  private static final class Hash {
    private static final long PRIME = 0x100000001b3L;
    private long a = 0xcbf29ce484222325L;
    private long b = 0x84222325cbf29ce4L;

    void add(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      for (int shift = 24; shift >= 0; shift -= 8) {
        mix((byte) (bytes.length >>> shift));
      }
      for (byte x : bytes) {
        mix(x);
      }
    }

    private void mix(byte x) {
      a = (a ^ (x & 0xff)) * PRIME;
      b = (b ^ ((x & 0xff) + 0x9e)) * PRIME;
      b = Long.rotateLeft(b, 5);
    }

    /** 20 hex digits: 80 bits of the two lanes. */
    String hex() {
      String high = Long.toHexString(a | Long.MIN_VALUE).substring(1); // 15 digits, zero-padded
      String low = Long.toHexString((b >>> 44) | (1L << 20)).substring(1); // 5 digits
      return new StringBuilder(20).append(high, 0, 15).append(low).toString();
    }
  }
}
