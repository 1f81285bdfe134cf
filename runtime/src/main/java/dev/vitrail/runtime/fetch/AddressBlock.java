package dev.vitrail.runtime.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address or CIDR block named in the allow-list ({@code 127.0.0.1}, {@code 10.0.0.0/8}, {@code
 * ::1}, {@code fd00::/8}). Pure: literals only, never a DNS lookup.
 *
 * @param network the block's address bytes (4 or 16)
 * @param prefix the prefix length in bits
 */
public record AddressBlock(byte[] network, int prefix) {
  private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  /** The block written as {@code text}, or null when it is not an address literal. */
  public static AddressBlock parse(String text) {
    String s = text.strip();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    if (!V4.matcher(addr).matches() && !V6.matcher(addr).matches()) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(addr).getAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + text, e);
    }
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in " + text, e);
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("prefix length of " + text + " must be 0.." + bits);
      }
    }
    return new AddressBlock(bytes, prefix);
  }

  /** Whether {@code address} lies in this block (same family, same first {@code prefix} bits). */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressBlock b
        && prefix == b.prefix
        && java.util.Arrays.equals(network, b.network);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
