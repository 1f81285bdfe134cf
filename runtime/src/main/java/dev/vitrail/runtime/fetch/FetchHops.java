package dev.vitrail.runtime.fetch;

import dev.vitrail.runtime.fetch.FetchException.Reason;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.ClientTransport;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.OutgoingConnectionBuilder;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.stream.StreamTcpException;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Follows a URL to its 2xx answer, hop by hop. Each hop: the URL is checked against the policy, its
 * host resolved once and <em>every</em> address checked (one refused address refuses the URL, so a
 * name cannot mix an admitted address with, say, the metadata address), then the addresses are
 * tried in the resolver's order, each connection pinned to the checked address (no second lookup;
 * TLS still verifies the URL's host). The next address is tried only when the TCP connect itself
 * failed (refused, unreachable, connect timeout); a TLS or HTTP failure ends the fetch. Redirects
 * are followed by hand with the same checks, up to {@code max-redirects}.
 */
final class FetchHops {
  private final FetchSettings settings;
  private final UrlPolicy policy;
  private final HostLookups dns;
  private final HttpsConnectionContext tls;
  private final ClassicActorSystemProvider system;

  /** A 2xx answer and the URL that gave it (the last hop's). */
  record Answer(HttpResponse response, URI url) {}

  FetchHops(
      FetchSettings settings,
      UrlPolicy policy,
      HostLookups dns,
      HttpsConnectionContext tls,
      ClassicActorSystemProvider system) {
    this.settings = settings;
    this.policy = policy;
    this.dns = dns;
    this.tls = tls;
    this.system = system;
  }

  /** The 2xx answer of {@code url}, after its redirects. */
  CompletionStage<Answer> follow(URI url) {
    return hop(url, 0);
  }

  private CompletionStage<Answer> hop(URI url, int redirects) {
    policy.checkUrl(url);
    String host = UrlPolicy.host(url);
    boolean https = url.getScheme().equalsIgnoreCase("https");
    int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
    return dns.resolve(host)
        .thenCompose(
            addresses -> {
              policy.checkAddresses(host, addresses);
              return connect(url, host, https, port, addresses, 0);
            })
        .thenCompose(response -> answer(url, response, redirects));
  }

  /** Sends to {@code addresses[i]}, and on a failed connect to the next one. */
  private CompletionStage<HttpResponse> connect(
      URI url, String host, boolean https, int port, InetAddress[] addresses, int i) {
    return send(url, host, https, new InetSocketAddress(addresses[i], port))
        .handle(
            (ok, err) -> {
              if (err == null) {
                return CompletableFuture.completedFuture(ok);
              }
              if (!notConnected(err)) {
                return CompletableFuture.<HttpResponse>failedFuture(err);
              }
              if (i + 1 < addresses.length) {
                return connect(url, host, https, port, addresses, i + 1);
              }
              if (addresses.length == 1) {
                return CompletableFuture.<HttpResponse>failedFuture(err);
              }
              FetchException last = FetchErrors.of(url, err, settings);
              return CompletableFuture.<HttpResponse>failedFuture(
                  new FetchException(
                      last.reason(),
                      "cannot connect to host '"
                          + host
                          + "' at any of its addresses ("
                          + Arrays.stream(addresses)
                              .map(InetAddress::getHostAddress)
                              .collect(Collectors.joining(", "))
                          + "); the last: "
                          + last.getMessage(),
                      err));
            })
        .thenCompose(s -> s);
  }

  /** Whether {@code failure} is a TCP connect that failed (so no byte reached that address). */
  static boolean notConnected(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
      if (t instanceof StreamTcpException
          && String.valueOf(t.getMessage()).startsWith("Tcp command [Connect(")) {
        return true;
      }
      if (!(t instanceof CompletionException) && !(t instanceof StreamTcpException)) {
        return false;
      }
    }
    return false;
  }

  private CompletionStage<HttpResponse> send(
      URI url, String host, boolean https, InetSocketAddress pinned) {
    ClientConnectionSettings cs =
        ClientConnectionSettings.create(system.classicSystem())
            .withConnectingTimeout(settings.connectTimeout())
            .withIdleTimeout(settings.readTimeout())
            .withTransport(
                ClientTransport.withCustomResolver(
                    (h, p) -> CompletableFuture.completedFuture(pinned)));
    OutgoingConnectionBuilder builder =
        Http.get(system)
            .connectionTo(host)
            .toPort(pinned.getPort())
            .withClientConnectionSettings(cs);
    String target = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      target += "?" + url.getRawQuery();
    }
    HttpRequest request = HttpRequest.GET(target).addHeader(Connection.create("close"));
    return Source.single(request)
        .via(https ? builder.withCustomHttpsConnectionContext(tls).https() : builder.http())
        .runWith(Sink.head(), system)
        .toCompletableFuture()
        .orTimeout(
            settings.connectTimeout().plus(settings.readTimeout()).toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private CompletionStage<Answer> answer(URI url, HttpResponse response, int redirects) {
    int status = response.status().intValue();
    if (status >= 300 && status < 400 && status != 304) {
      response.discardEntityBytes(system);
      String location = response.getHeader("Location").map(h -> h.value()).orElse(null);
      if (location == null) {
        throw new FetchException(Reason.FAILED, url + " answered " + status + " without Location");
      }
      if (redirects >= settings.maxRedirects()) {
        throw new FetchException(
            Reason.TOO_MANY_REDIRECTS,
            "more than vitrail.http.fetch.max-redirects = "
                + settings.maxRedirects()
                + " redirects from "
                + UrlPolicy.abbreviate(url.toString()));
      }
      URI next = policy.parse(url.resolve(location.strip()).toString());
      return hop(next, redirects + 1);
    }
    if (status < 200 || status >= 300) {
      response.discardEntityBytes(system);
      throw new FetchException(
          Reason.FAILED, UrlPolicy.abbreviate(url.toString()) + " answered HTTP " + status);
    }
    return CompletableFuture.completedFuture(new Answer(response, url));
  }
}
