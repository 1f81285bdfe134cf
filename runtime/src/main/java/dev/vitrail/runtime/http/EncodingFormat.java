package dev.vitrail.runtime.http;

import java.util.Locale;

/**
 * How JSON responses carry each embedding ({@code encoding_format}, or its alias {@code
 * embedding_type}). The quantized formats apply to pooled vectors only; they assume values in [-1,
 * 1] (an L2-normalized vector) and clamp anything outside.
 */
public enum EncodingFormat {
  /** A JSON array of numbers, row-major. */
  FLOAT,
  /** A base64 string of the little-endian float32 bytes, row-major (the OpenAI SDK's default). */
  BASE64,
  /** A JSON array of integers {@code round(clamp(v, -1, 1) * 127)} in [-127, 127]. */
  INT8,
  /** A JSON array of integers {@code round((clamp(v, -1, 1) + 1) * 127.5)} in [0, 255]. */
  UINT8,
  /**
   * A JSON array of {@code ceil(d / 8)} integers: bit {@code 7 - (i % 8)} of byte {@code i / 8} is
   * 1 when {@code v[i] > 0} (zero-padded), each byte minus 128 as a signed int8 in [-128, 127]
   * (Cohere's and sentence-transformers' {@code binary}).
   */
  BINARY,
  /** The same packed bits as {@link #BINARY}, each byte unsigned in [0, 255]. */
  UBINARY;

  /** Whether this format needs a pooled vector. */
  boolean quantized() {
    return this != FLOAT && this != BASE64;
  }

  /** The format named {@code name}, or null for an unknown name. */
  static EncodingFormat of(String name) {
    for (EncodingFormat f : values()) {
      if (f.name().toLowerCase(Locale.ROOT).equals(name)) {
        return f;
      }
    }
    return null;
  }

  /** The accepted names, for error messages. */
  static String names() {
    return "\"float\", \"base64\", \"int8\", \"uint8\", \"binary\" or \"ubinary\"";
  }
}
