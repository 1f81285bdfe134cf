package dev.vitrail.runtime.cli.resident;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    update(digest, "command");
    command.forEach(s -> update(digest, s));
    update(digest, "cwd");
    update(digest, cwd);
    update(digest, "env");
    new TreeMap<>(env)
        .forEach(
            (k, v) -> {
              if (!SESSION_VARIABLES.contains(k)) {
                update(digest, k);
                update(digest, v);
              }
            });
    update(digest, "stamps");
    stamps.forEach(s -> update(digest, s));
    return HexFormat.of().formatHex(digest.digest()).substring(0, 20);
  }

  private static void update(MessageDigest digest, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    digest.update((byte) (b.length >>> 24));
    digest.update((byte) (b.length >>> 16));
    digest.update((byte) (b.length >>> 8));
    digest.update((byte) b.length);
    digest.update(b);
  }
}
