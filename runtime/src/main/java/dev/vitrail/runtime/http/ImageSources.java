package dev.vitrail.runtime.http;

import java.util.Base64;
import java.util.Locale;

/**
 * Turns one {@code input} string into encoded image bytes: a {@code data:<mime>;base64,<data>} URL
 * or bare base64. Remote URLs are not fetched.
 */
final class ImageSources {
  private ImageSources() {}

  /** The image bytes of input {@code index}, checked against {@code maxBytes}. */
  static byte[] decode(String source, int index, long maxBytes) {
    String s = source.strip();
    String lower = s.substring(0, Math.min(s.length(), 16)).toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:")) {
      throw new ApiException(ErrorKind.INVALID_IMAGE, "input[" + index
          + "]: URLs are not fetched; send the image as a data:image/...;base64, URL or as base64");
    }
    String payload = s;
    if (lower.startsWith("data:")) {
      int comma = s.indexOf(',');
      if (comma < 0) {
        throw new ApiException(ErrorKind.INVALID_IMAGE, "input[" + index + "]: data URL has no ',' before its data");
      }
      String meta = s.substring(5, comma).toLowerCase(Locale.ROOT);
      if (!meta.endsWith(";base64")) {
        throw new ApiException(ErrorKind.INVALID_IMAGE, "input[" + index
            + "]: data URL must be base64-encoded (data:<type>;base64,...), got 'data:" + meta + ",...'");
      }
      payload = s.substring(comma + 1);
    }
    if (payload.isEmpty()) {
      throw new ApiException(ErrorKind.INVALID_IMAGE, "input[" + index + "]: image data is empty");
    }
    if ((long) payload.length() / 4 * 3 > maxBytes) {
      throw new ApiException(ErrorKind.IMAGE_TOO_LARGE, "input[" + index + "]: image of about "
          + (long) payload.length() / 4 * 3 + " bytes exceeds the limit of " + maxBytes + " bytes");
    }
    try {
      return Base64.getMimeDecoder().decode(requireBase64(payload, index));
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorKind.INVALID_IMAGE, "input[" + index + "]: not valid base64: " + e.getMessage(), e);
    }
  }

  /** Base64 alphabet (standard or URL-safe), padding and whitespace only; the MIME decoder skips others. */
  private static String requireBase64(String payload, int index) {
    boolean urlSafe = false;
    for (int i = 0; i < payload.length(); i++) {
      char c = payload.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '+' || c == '/' || c == '=' || Character.isWhitespace(c);
      if (c == '-' || c == '_') {
        urlSafe = true;
        ok = true;
      }
      if (!ok) {
        throw new ApiException(ErrorKind.INVALID_IMAGE, "input[" + index
            + "]: not valid base64 (character '" + c + "' at " + i + ")");
      }
    }
    return urlSafe ? payload.replace('-', '+').replace('_', '/') : payload;
  }
}
