package dev.vitrail.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A strict {@code multipart/form-data} reader over a body already in memory (its size bounded by
 * the body admission): the parts in order, each with its headers' name, filename and content type.
 * Anything that does not follow RFC 7578 framing is a 400 naming what is wrong.
 */
final class MultipartParts {
  /** One part: the form field name, the filename (or null), its content type (or null), bytes. */
  record Part(String name, String filename, String contentType, byte[] data) {}

  private static final byte[] CRLF2 = {'\r', '\n', '\r', '\n'};

  private MultipartParts() {}

  /** The boundary of a {@code multipart/form-data; boundary=...} content type. */
  static String boundary(String contentType) {
    for (String param : contentType.split(";")) {
      String p = param.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = p.substring("boundary=".length());
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        if (!b.isEmpty() && b.length() <= 70) {
          return b;
        }
      }
    }
    throw bad("Content-Type has no usable boundary parameter (1 to 70 characters)");
  }

  /** The parts of {@code body} delimited by {@code boundary}. */
  static List<Part> parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      throw bad("the body has no '--" + boundary + "' delimiter");
    }
    List<Part> parts = new ArrayList<>();
    int pos = at + delimiter.length;
    while (true) {
      if (startsWith(body, pos, "--")) {
        return parts;
      }
      if (!startsWith(body, pos, "\r\n")) {
        throw bad("a delimiter is not followed by CRLF or '--'");
      }
      int headersStart = pos + 2;
      int headersEnd = indexOf(body, CRLF2, headersStart);
      if (headersEnd < 0) {
        throw bad("part " + parts.size() + " has no blank line after its headers");
      }
      int end = indexOf(body, next, headersEnd + 4);
      if (end < 0) {
        throw bad("part " + parts.size() + " is not closed by a delimiter (truncated body?)");
      }
      String headers =
          new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
      byte[] data = java.util.Arrays.copyOfRange(body, headersEnd + 4, end);
      parts.add(part(headers, data, parts.size()));
      pos = end + next.length;
    }
  }

  private static Part part(String headers, byte[] data, int index) {
    String name = null;
    String filename = null;
    String type = null;
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw bad("part " + index + " has a malformed header line");
      }
      String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (key.equals("content-disposition")) {
        name = param(value, "name");
        filename = param(value, "filename");
      } else if (key.equals("content-type")) {
        type = value.toLowerCase(Locale.ROOT);
      }
    }
    if (name == null) {
      throw bad("part " + index + " has no Content-Disposition: form-data; name=...");
    }
    return new Part(name, filename, type, data);
  }

  private static String param(String disposition, String key) {
    for (String p : disposition.split(";")) {
      String s = p.strip();
      if (s.toLowerCase(Locale.ROOT).startsWith(key + "=")) {
        String v = s.substring(key.length() + 1);
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
            ? v.substring(1, v.length() - 1)
            : v;
      }
    }
    return null;
  }

  private static boolean startsWith(byte[] body, int pos, String s) {
    if (pos + s.length() > body.length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (body[pos + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The first index of {@code needle} in {@code body} at or after {@code from}, or -1: a
   * Boyer-Moore-Horspool search, which skips up to the needle's length per step (a delimiter is
   * 30-70 bytes), so scanning large image parts costs a small fraction of a byte-by-byte scan.
   */
  static int indexOf(byte[] body, byte[] needle, int from) {
    int n = needle.length;
    if (n == 0) {
      return from <= body.length ? from : -1;
    }
    int[] shift = new int[256];
    java.util.Arrays.fill(shift, n);
    for (int j = 0; j < n - 1; j++) {
      shift[needle[j] & 0xff] = n - 1 - j;
    }
    byte last = needle[n - 1];
    for (int i = Math.max(from, 0); i <= body.length - n; ) {
      byte b = body[i + n - 1];
      if (b == last && java.util.Arrays.equals(body, i, i + n - 1, needle, 0, n - 1)) {
        return i;
      }
      i += shift[b & 0xff];
    }
    return -1;
  }

  private static ApiException bad(String what) {
    return new ApiException(ErrorKind.MALFORMED_REQUEST, "multipart/form-data body: " + what);
  }
}
