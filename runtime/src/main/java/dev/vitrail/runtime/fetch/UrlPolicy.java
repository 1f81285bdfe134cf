package dev.vitrail.runtime.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which URLs may be fetched, from the allow-list of {@code vitrail.http.fetch}. An entry is a host
 * name ({@code images.example.com}), a domain with its subdomains ({@code *.example.com}), any
 * public host ({@code *}), a URL prefix ({@code https://cdn.example.com/public/}), or an address or
 * CIDR block ({@code 127.0.0.1}, {@code 10.0.0.0/8}). A URL must use https (or http when {@code
 * allowHttp}) and match an entry; after DNS, each of its addresses must be public unicast or lie in
 * an address entry. Pure: the caller resolves.
 */
public final class UrlPolicy {
  private final List<String> hosts = new ArrayList<>();
  private final List<String> domains = new ArrayList<>();
  private final List<String> prefixes = new ArrayList<>();
  private final List<AddressBlock> blocks = new ArrayList<>();
  private final boolean anyHost;
  private final boolean allowHttp;

  /** A policy admitting the entries of {@code allow}; plain http only when {@code allowHttp}. */
  public UrlPolicy(List<String> allow, boolean allowHttp) {
    boolean any = false;
    for (String raw : allow) {
      String e = raw.strip().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      AddressBlock block = AddressBlock.parse(e);
      if (e.equals("*")) {
        any = true;
      } else if (e.startsWith("http://") || e.startsWith("https://")) {
        prefixes.add(e);
      } else if (block != null) {
        blocks.add(block);
      } else if (e.startsWith("*.")) {
        domains.add(e.substring(1));
      } else if (e.matches("[a-z0-9.-]+")) {
        hosts.add(e);
      } else {
        throw new IllegalArgumentException(
            "allow-list entry '" + raw + "' is not a host, *.domain, *, URL prefix or address");
      }
    }
    this.anyHost = any;
    this.allowHttp = allowHttp;
  }

  /** The URL in {@code text} if it is one this policy could fetch (syntax and scheme). */
  public URI parse(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new FetchException(
          FetchException.Reason.BAD_URL, "not a valid URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new FetchException(
          FetchException.Reason.NOT_ALLOWED,
          "only http(s) URLs are fetched, not '" + scheme + ":'");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new FetchException(
          FetchException.Reason.BAD_URL,
          "URL needs a host and no user info: " + abbreviate(uri.toString()));
    }
    return uri.normalize();
  }

  /** Fails unless {@code uri} (already {@link #parse parsed}) may be fetched before DNS. */
  public void checkUrl(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http") && !allowHttp) {
      throw new FetchException(
          FetchException.Reason.NOT_ALLOWED,
          "plain http is not fetched (vitrail.http.fetch.allow-http = false): "
              + abbreviate(uri.toString()));
    }
    String host = host(uri);
    String text = uri.toString().toLowerCase(Locale.ROOT);
    boolean admitted =
        anyHost
            || hosts.contains(host)
            || domains.stream().anyMatch(host::endsWith)
            || prefixes.stream().anyMatch(text::startsWith)
            || literalAdmitted(host);
    if (!admitted) {
      throw new FetchException(
          FetchException.Reason.NOT_ALLOWED,
          "host '" + host + "' is not in vitrail.http.fetch.allow: " + abbreviate(uri.toString()));
    }
  }

  /** Fails unless every resolved address of {@code host} is public or admitted by an entry. */
  public void checkAddresses(String host, InetAddress[] addresses) {
    if (addresses.length == 0) {
      throw new FetchException(FetchException.Reason.FAILED, "host '" + host + "' has no address");
    }
    for (InetAddress a : addresses) {
      String special = AddressClass.special(a);
      if (special != null && blocks.stream().noneMatch(b -> b.contains(a))) {
        throw new FetchException(
            FetchException.Reason.ADDRESS_REFUSED,
            "host '"
                + host
                + "' resolves to "
                + a.getHostAddress()
                + ", a "
                + special
                + " address, which vitrail.http.fetch.allow does not admit");
      }
    }
  }

  /** The host of {@code uri}, lower case, without IPv6 brackets. */
  public static String host(URI uri) {
    String h = uri.getHost().toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private boolean literalAdmitted(String host) {
    AddressBlock literal = AddressBlock.parse(host);
    if (literal == null) {
      return false;
    }
    try {
      InetAddress a = InetAddress.getByAddress(literal.network());
      return blocks.stream().anyMatch(b -> b.contains(a));
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 100 ? s : s.substring(0, 97) + "...";
  }
}
