package dev.vitrail.runtime.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resolver for tests: literals as themselves, a few {@code *.test} names to chosen addresses
 * ({@code img.test} to 127.0.0.1, the others to private, metadata, ULA, CGNAT and IPv4-mapped
 * private addresses), anything else unknown. Counts lookups.
 */
public final class FakeDns implements HostResolver {
  private static final Map<String, String> NAMES =
      Map.of(
          "img.test", "127.0.0.1",
          "private.test", "10.1.2.3",
          "metadata.test", "169.254.169.254",
          "ula.test", "fd00::1",
          "cgnat.test", "100.64.0.1");

  /** Lookups so far. */
  public final AtomicInteger lookups = new AtomicInteger();

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    lookups.incrementAndGet();
    if (AddressBlock.parse(host) != null) {
      return new InetAddress[] {InetAddress.getByName(host)}; // a literal: no lookup
    }
    if (host.equals("mapped.test")) {
      byte[] b = new byte[16];
      b[10] = (byte) 0xff;
      b[11] = (byte) 0xff;
      b[12] = 10;
      b[15] = 1;
      return new InetAddress[] {InetAddress.getByAddress(host, b)};
    }
    String ip = NAMES.get(host);
    if (ip == null) {
      throw new UnknownHostException(host);
    }
    return new InetAddress[] {InetAddress.getByName(ip)};
  }
}
