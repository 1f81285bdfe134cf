package dev.vitrail.runtime.fetch;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.InvalidSettingsException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The allow-list, the address classes and the fetch settings, without any network. */
class UrlPolicyTest {
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  private static InetAddress v6(int... words) throws Exception {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[2 * i] = (byte) (words[i] >> 8);
      b[2 * i + 1] = (byte) words[i];
    }
    return InetAddress.getByAddress("x", b);
  }

  @Test
  void classifiesEveryNonPublicRange() throws Exception {
    for (String s :
        List.of(
            "0.0.0.0",
            "127.0.0.1",
            "127.255.0.9",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.1",
            "192.168.1.1",
            "169.254.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "224.0.0.1",
            "239.1.1.1",
            "255.255.255.255",
            "240.0.0.1",
            "198.18.0.1",
            "192.0.0.8",
            "::",
            "::1",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "ff02::1",
            "fec0::1")) {
      assertTrue(AddressClass.special(ip(s)) != null, s);
    }
    assertTrue(AddressClass.special(ip("169.254.169.254")).contains("metadata"));
    for (String s : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2a00:1450::1")) {
      assertNull(AddressClass.special(ip(s)), s);
    }
    // IPv6 forms that carry an IPv4 address are judged by it.
    assertTrue(AddressClass.special(v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1)) != null); // mapped
    assertTrue(AddressClass.special(v6(0x64, 0xff9b, 0, 0, 0, 0, 0x0a00, 1)) != null); // NAT64
    assertTrue(AddressClass.special(v6(0x2002, 0xa9fe, 0xa9fe, 0, 0, 0, 0, 1)) != null); // 6to4
    assertNull(AddressClass.special(v6(0x2002, 0x0808, 0x0808, 0, 0, 0, 0, 1)));
  }

  @Test
  void blocksAndEntries() throws Exception {
    assertTrue(AddressBlock.parse("10.0.0.0/8").contains(ip("10.200.1.1")));
    assertTrue(!AddressBlock.parse("10.0.0.0/8").contains(ip("11.0.0.1")));
    assertTrue(AddressBlock.parse("[::1]").contains(ip("::1")));
    assertNull(AddressBlock.parse("images.example.com"));
    assertThrows(IllegalArgumentException.class, () -> AddressBlock.parse("10.0.0.0/40"));
    assertThrows(
        IllegalArgumentException.class, () -> new UrlPolicy(List.of("ftp://x/"), true).hashCode());
    assertThrows(IllegalArgumentException.class, () -> new UrlPolicy(List.of("a b"), true));
  }

  @Test
  void admitsHostsDomainsPrefixesAndAddresses() throws Exception {
    UrlPolicy p =
        new UrlPolicy(
            List.of(
                "images.example.com",
                "*.cdn.example.org",
                "https://host.example.net/pub/",
                "10.0.0.0/8"),
            false);
    assertDoesNotThrow(() -> p.checkUrl(p.parse("https://images.example.com/a.png")));
    assertDoesNotThrow(() -> p.checkUrl(p.parse("https://x.cdn.example.org/a.png")));
    assertDoesNotThrow(() -> p.checkUrl(p.parse("https://host.example.net/pub/a.png")));
    assertDoesNotThrow(() -> p.checkUrl(p.parse("https://10.1.1.1/a.png")));
    for (String refused :
        List.of(
            "https://cdn.example.org/a.png",
            "https://host.example.net/private/a.png",
            "https://host.example.net/pub/../private/a.png",
            "https://images.example.com.evil.io/a.png",
            "http://images.example.com/a.png")) {
      FetchException e =
          assertThrows(FetchException.class, () -> p.checkUrl(p.parse(refused)), refused);
      assertEquals(FetchException.Reason.NOT_ALLOWED, e.reason(), refused);
    }
    assertEquals(
        FetchException.Reason.BAD_URL,
        assertThrows(FetchException.class, () -> p.parse("https://u:p@images.example.com/"))
            .reason());
    assertEquals(
        FetchException.Reason.NOT_ALLOWED,
        assertThrows(FetchException.class, () -> p.parse("gopher://images.example.com/")).reason());
    // A private address only where an address entry names it.
    p.checkAddresses("h", new InetAddress[] {ip("10.2.3.4"), ip("93.184.216.34")});
    assertEquals(
        FetchException.Reason.ADDRESS_REFUSED,
        assertThrows(
                FetchException.class,
                () ->
                    p.checkAddresses("h", new InetAddress[] {ip("93.184.216.34"), ip("127.0.0.1")}))
            .reason());
    URI v6 = p.parse("https://[::1]:8443/a.png");
    assertEquals("::1", UrlPolicy.host(v6));
  }

  @Test
  void settingsAreOffByDefaultAndReadTheirEnvironmentForms() {
    FetchSettings d = FetchSettings.from(ConfigFactory.load());
    assertTrue(!d.enabled());
    FetchSettings s =
        FetchSettings.from(
            ConfigFactory.parseString(
                    "vitrail.http.fetch { enabled = true, allow = \"127.0.0.1, *.test\" }")
                .withFallback(ConfigFactory.load()));
    assertEquals(List.of("127.0.0.1", "*.test"), s.allow());
    FetchSettings list =
        FetchSettings.from(
            ConfigFactory.parseString("vitrail.http.fetch.allow = [\"a.example\"]")
                .withFallback(ConfigFactory.load()));
    assertEquals(List.of("a.example"), list.allow());
    assertThrows(
        InvalidSettingsException.class,
        () ->
            FetchSettings.from(
                ConfigFactory.parseString("vitrail.http.fetch.allow = \"bad entry!\"")
                    .withFallback(ConfigFactory.load())));
    assertThrows(
        InvalidSettingsException.class,
        () -> FetchSettings.off().withLimits(-1, d.connectTimeout(), d.readTimeout(), 1, 1));
  }
}
