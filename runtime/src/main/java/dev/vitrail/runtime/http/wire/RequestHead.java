package dev.vitrail.runtime.http.wire;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The head of one HTTP/1.1 request (request line and header fields, up to the empty line), as far
 * as framing needs it. {@link #parse} accepts only the plain form: a request line {@code METHOD SP
 * target SP HTTP/1.1}, CRLF line ends, no folded lines, at most one {@code Content-Length} value,
 * no {@code Transfer-Encoding} and no {@code Upgrade}; anything else is left to Pekko's parser.
 *
 * @param bytes the whole head, ending with the empty line
 * @param method the request method
 * @param path the request target without its query
 * @param contentLength the declared body length, 0 when none is declared
 * @param expectsContinue whether the client waits for {@code 100 Continue} before its body
 */
public record RequestHead(
    byte[] bytes, String method, String path, long contentLength, boolean expectsContinue) {

  /**
   * The header that marks a request whose body was dropped below the parser; its value the size.
   */
  public static final String DROPPED_BODY = "Vitrail-Dropped-Body";

  private static final String CRLF = "\r\n";

  /** {@code head} (ending with CRLF CRLF) parsed, or empty when it is not in the plain form. */
  public static Optional<RequestHead> parse(byte[] head) {
    String text = new String(head, StandardCharsets.ISO_8859_1);
    if (!text.endsWith(CRLF + CRLF)) {
      return Optional.empty();
    }
    String[] lines = text.substring(0, text.length() - 4).split(CRLF, -1);
    String[] request = lines[0].split(" ", -1);
    if (request.length != 3 || !request[2].equals("HTTP/1.1") || request[0].isEmpty()) {
      return Optional.empty();
    }
    long length = -1;
    boolean expect = false;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      if (colon <= 0 || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
        return Optional.empty();
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t' || line.charAt(colon - 1) == ' ') {
        return Optional.empty(); // folded line, or white space before the colon
      }
      String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> {
          long parsed = digits(value);
          if (parsed < 0 || (length >= 0 && length != parsed)) {
            return Optional.empty();
          }
          length = parsed;
        }
        case "transfer-encoding", "upgrade" -> {
          return Optional.empty();
        }
        case "expect" -> expect = true;
        default -> {}
      }
    }
    String target = request[1];
    int query = target.indexOf('?');
    String path = query >= 0 ? target.substring(0, query) : target;
    return Optional.of(new RequestHead(head, request[0], path, Math.max(length, 0), expect));
  }

  /**
   * This head as a request without a body: {@code Content-Length: 0} and {@link #DROPPED_BODY}
   * carrying the dropped body's length, every other field as the client sent it.
   */
  public byte[] withoutBody() {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    String[] lines = text.substring(0, text.length() - 4).split(CRLF, -1);
    StringBuilder out = new StringBuilder(text.length() + 48).append(lines[0]).append(CRLF);
    for (int i = 1; i < lines.length; i++) {
      String name = lines[i].substring(0, lines[i].indexOf(':')).trim();
      if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase(DROPPED_BODY)) {
        out.append(lines[i]).append(CRLF);
      }
    }
    out.append("Content-Length: 0").append(CRLF);
    out.append(DROPPED_BODY).append(": ").append(contentLength).append(CRLF).append(CRLF);
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** {@code value} as a non-negative decimal of at most 18 digits, or -1. */
  private static long digits(String value) {
    if (value.isEmpty() || value.length() > 18) {
      return -1;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(value);
  }
}
