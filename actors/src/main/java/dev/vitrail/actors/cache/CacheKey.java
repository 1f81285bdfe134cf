package dev.vitrail.actors.cache;

import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SHA-256 of an input's pixels, shape and grid plus the feature options, so equal images (and
 * static video frames) asking for equal features share one entry.
 *
 * @param digest the 32-byte hash
 */
public record CacheKey(byte[] digest) {
  /** The key of {@code input} encoded with {@code spec}. */
  public static CacheKey of(PixelInput input, FeatureSpec spec) {
    MessageDigest md = sha256();
    md.update(spec.toString().getBytes(StandardCharsets.UTF_8));
    md.update(Arrays.toString(input.shape()).getBytes(StandardCharsets.UTF_8));
    md.update(Arrays.toString(input.gridThw()).getBytes(StandardCharsets.UTF_8));
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = input.values();
    for (int i = 0; i < v.length; i++) {
      if (!buf.hasRemaining()) {
        md.update(buf.array(), 0, buf.position());
        buf.clear();
      }
      buf.putFloat(v[i]);
    }
    md.update(buf.array(), 0, buf.position());
    return new CacheKey(md.digest());
  }

  /**
   * The key of an encoded image (PNG, JPEG, ... bytes as sent): SHA-256 over {@code identity} (the
   * model and its processor), {@code options} (the feature options) and the bytes, each part
   * length-prefixed so no two different triples hash alike.
   */
  public static CacheKey ofEncoded(String identity, String options, byte[] encoded) {
    MessageDigest md = sha256();
    for (String part : new String[] {identity, options}) {
      byte[] b = part.getBytes(StandardCharsets.UTF_8);
      md.update(ByteBuffer.allocate(8).putLong(b.length).array());
      md.update(b);
    }
    md.update(ByteBuffer.allocate(8).putLong(encoded.length).array());
    md.update(encoded);
    return new CacheKey(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheKey k && Arrays.equals(digest, k.digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(digest);
  }
}
