package dev.vitrail.runtime.http;

import dev.vitrail.runtime.fetch.FetchException;
import dev.vitrail.runtime.fetch.UrlPolicy;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns one {@code input} string into encoded image bytes: a {@code data:<mime>;base64,<data>} URL
 * or bare base64 (standard or URL-safe alphabet, line breaks allowed); or tells an http(s) URL to
 * fetch from the rest. {@code file:} URLs are never read.
 */
final class ImageSources {
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private ImageSources() {}

  /**
   * The URL of input {@code index} when it is an http(s) URL that {@code policy} admits, null when
   * it is no URL; a refused URL fails with its {@link FetchException} reason.
   */
  static URI url(String source, int index, UrlPolicy policy) {
    String s = source.strip();
    String lower = s.substring(0, Math.min(s.length(), 16)).toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      return null;
    }
    try {
      URI url = policy.parse(s);
      policy.checkUrl(url);
      return url;
    } catch (FetchException e) {
      throw new FetchException(e.reason(), "input[" + index + "]: " + e.getMessage(), e);
    }
  }

  /** The image bytes of input {@code index}, checked against {@code maxBytes}. */
  static byte[] decode(String source, int index, long maxBytes) {
    String s = source.strip();
    String lower = s.substring(0, Math.min(s.length(), 16)).toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      throw new ApiException(
          ErrorKind.URL_FETCH_DISABLED,
          "input["
              + index
              + "]: this server does not fetch URLs (vitrail.http.fetch.enabled = false); send the"
              + " image as a data:image/...;base64, URL or as base64");
    }
    if (lower.startsWith("file:")) {
      throw new ApiException(
          ErrorKind.INVALID_IMAGE,
          "input["
              + index
              + "]: file: URLs are never read; send the image as a data:image/...;base64, URL or"
              + " as base64");
    }
    int from = 0;
    if (lower.startsWith("data:")) {
      int comma = s.indexOf(',');
      if (comma < 0) {
        throw new ApiException(
            ErrorKind.INVALID_IMAGE, "input[" + index + "]: data URL has no ',' before its data");
      }
      String meta = s.substring(5, comma).toLowerCase(Locale.ROOT);
      if (!meta.endsWith(";base64")) {
        throw new ApiException(
            ErrorKind.INVALID_IMAGE,
            "input["
                + index
                + "]: data URL must be base64-encoded (data:<type>;base64,...), got 'data:"
                + meta
                + ",...'");
      }
      from = comma + 1;
    }
    int length = s.length() - from;
    if (length == 0) {
      throw new ApiException(ErrorKind.INVALID_IMAGE, "input[" + index + "]: image data is empty");
    }
    // The decoded size (exact for unbroken base64): 3 bytes per 4 characters, less the padding.
    long size = (long) length / 4 * 3 - (s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0);
    if (size > maxBytes) {
      throw new ApiException(
          ErrorKind.IMAGE_TOO_LARGE,
          "input["
              + index
              + "]: image of about "
              + size
              + " bytes exceeds the limit of "
              + maxBytes
              + " bytes");
    }
    try {
      // One copy of the text as bytes, decoded from the data's offset (no substring of megabytes).
      ByteBuffer text = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1), from, length);
      ByteBuffer image = Base64.getDecoder().decode(text);
      return image.remaining() == image.array().length
          ? image.array()
          : Arrays.copyOfRange(image.array(), 0, image.remaining());
    } catch (IllegalArgumentException strict) {
      // Slow path only for unusual input: line breaks or the URL-safe alphabet.
      String compact = WHITESPACE.matcher(s.substring(from)).replaceAll("");
      boolean urlSafe = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0;
      try {
        return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact);
      } catch (IllegalArgumentException e) {
        throw new ApiException(
            ErrorKind.INVALID_IMAGE,
            "input[" + index + "]: not valid base64: " + e.getMessage(),
            e);
      }
    }
  }
}
