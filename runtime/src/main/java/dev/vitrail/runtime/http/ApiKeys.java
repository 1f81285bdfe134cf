package dev.vitrail.runtime.http;

import dev.vitrail.config.settings.InvalidSettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The API keys a request may present as {@code Authorization: Bearer KEY}; none means the server is
 * open. Only SHA-256 digests are kept, compared with {@link MessageDigest#isEqual} against every
 * key (no early exit, equal lengths), so the time taken says nothing about a key. Keys never appear
 * in {@link #toString()}, logs or error messages.
 *
 * @param metricsNeedKey whether {@code GET /metrics} asks for a key too ({@code /health*} never
 *     does)
 */
public record ApiKeys(List<byte[]> digests, boolean metricsNeedKey) {
  public ApiKeys {
    digests = List.copyOf(digests);
  }

  /** No keys: every request is let in. */
  public static ApiKeys none() {
    return new ApiKeys(List.of(), false);
  }

  /**
   * Keys from a comma-separated list and/or a file (one key per line, {@code #} comments), blanks
   * ignored.
   *
   * @param list comma-separated keys, or empty
   * @param file a file of keys, or null/empty for none
   */
  public static ApiKeys of(String list, String file, boolean metricsNeedKey) {
    List<String> keys = new ArrayList<>(List.of(list == null ? new String[0] : list.split(",")));
    if (file != null && !file.isBlank()) {
      try {
        keys.addAll(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new InvalidSettingsException(
            "vitrail.http.api-keys-file", "a readable file of keys", file);
      }
    }
    List<byte[]> digests = new ArrayList<>();
    for (String k : keys) {
      String key = k.strip();
      if (!key.isEmpty() && !key.startsWith("#")) {
        digests.add(digest(key));
      }
    }
    return new ApiKeys(digests, metricsNeedKey);
  }

  /** Whether any key is configured. */
  public boolean enabled() {
    return !digests.isEmpty();
  }

  /** Whether {@code authorization} (the header's value, or null) carries one of the keys. */
  boolean admits(String authorization) {
    if (!enabled()) {
      return true;
    }
    if (authorization == null || authorization.length() < 7) {
      return false;
    }
    String scheme = authorization.substring(0, 7);
    if (!scheme.equalsIgnoreCase("Bearer ")) {
      return false;
    }
    byte[] presented = digest(authorization.substring(7).strip());
    boolean match = false;
    for (byte[] d : digests) {
      match |= MessageDigest.isEqual(d, presented);
    }
    return match;
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "ApiKeys[" + digests.size() + " keys, metricsNeedKey=" + metricsNeedKey + "]";
  }
}
