package dev.vitrail.runtime.fetch;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * Which addresses a fetch must not reach unless the allow-list names them: everything that is not a
 * public unicast address. IPv6 forms that embed an IPv4 address (mapped {@code ::ffff:a.b.c.d},
 * compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are judged by
 * the IPv4 address inside. Pure.
 */
public final class AddressClass {
  private AddressClass() {}

  /** What makes {@code address} non-public ("loopback", "private (RFC 1918)", ...), or null. */
  public static String special(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 4 ? v4(b) : v6(b);
  }

  private static String v4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    if (a0 == 0) {
      return "unspecified (0.0.0.0/8)";
    }
    if (a0 == 127) {
      return "loopback (127.0.0.0/8)";
    }
    if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 < 32) || (a0 == 192 && a1 == 168)) {
      return "private (RFC 1918)";
    }
    if (a0 == 169 && a1 == 254) {
      return (a2 == 169 && (b[3] & 0xff) == 254)
          ? "cloud metadata (169.254.169.254)"
          : "link-local (169.254.0.0/16)";
    }
    if (a0 == 100 && a1 >= 64 && a1 < 128) {
      return "carrier-grade NAT (100.64.0.0/10)";
    }
    if (a0 >= 224 && a0 < 240) {
      return "multicast (224.0.0.0/4)";
    }
    if (a0 >= 240) {
      return "reserved or broadcast (240.0.0.0/4)";
    }
    if ((a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2))
        || (a0 == 198 && (a1 == 18 || a1 == 19))
        || (a0 == 198 && a1 == 51 && a2 == 100)
        || (a0 == 203 && a1 == 0 && a2 == 113)) {
      return "reserved (IETF, benchmarking or documentation range)";
    }
    return null;
  }

  private static String v6(byte[] b) {
    boolean first10Zero = allZero(b, 0, 10);
    if (first10Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return embedded(Arrays.copyOfRange(b, 12, 16), "IPv4-mapped");
    }
    if (first10Zero && b[10] == 0 && b[11] == 0) {
      if (allZero(b, 12, 15) && b[15] == 0) {
        return "unspecified (::)";
      }
      if (allZero(b, 12, 15) && b[15] == 1) {
        return "loopback (::1)";
      }
      return embedded(Arrays.copyOfRange(b, 12, 16), "IPv4-compatible");
    }
    int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    if (w0 == 0x64 && w1 == 0xff9b && allZero(b, 4, 12)) {
      return embedded(Arrays.copyOfRange(b, 12, 16), "NAT64");
    }
    if (w0 == 0x2002) {
      return embedded(Arrays.copyOfRange(b, 2, 6), "6to4");
    }
    if ((b[0] & 0xfe) == 0xfc) {
      return "unique local (fc00::/7)";
    }
    if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
      return "link-local (fe80::/10)";
    }
    if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
      return "site-local (fec0::/10)";
    }
    if ((b[0] & 0xff) == 0xff) {
      return "multicast (ff00::/8)";
    }
    if ((w0 == 0x2001 && w1 == 0x0db8) || (w0 == 0x2001 && w1 == 0) || w0 == 0x100) {
      return "reserved (documentation, Teredo or discard range)";
    }
    return null;
  }

  private static String embedded(byte[] v4, String form) {
    String inner = v4(v4);
    return inner == null ? null : form + " " + inner;
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
