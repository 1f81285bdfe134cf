package dev.vitrail.runtime.http;

/** How JSON responses carry each embedding. */
public enum EncodingFormat {
  /** A JSON array of numbers, row-major. */
  FLOAT,
  /** A base64 string of the little-endian float32 bytes, row-major. */
  BASE64
}
