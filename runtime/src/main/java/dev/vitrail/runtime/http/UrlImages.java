package dev.vitrail.runtime.http;

import dev.vitrail.runtime.fetch.FetchException;
import dev.vitrail.runtime.fetch.UrlFetcher;
import dev.vitrail.runtime.fetch.UrlPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Fills the URL inputs of a request with their fetched bytes. Each fetch first reserves {@code
 * vitrail.http.fetch.max-bytes} of the body budget, like a body without a length (none free: 503
 * busy, nothing fetched); the reservations are held until the request's images are decoded ({@link
 * Resolved#close}), or until every fetch of the request has stopped when one failed. A failure
 * names its input. A fetch runs for its request only: it stops (its connection closes, its {@code
 * max-concurrent} place comes back) when the request's client leaves or the request times out.
 */
final class UrlImages {
  private final UrlFetcher fetcher;
  private final AdmissionGate gate;
  private final long maxImageBytes;
  private final Duration requestTimeout;

  /**
   * @param fetcher the fetcher, or null when URL fetching is off
   * @param requestTimeout the request's own limit ({@code vitrail.http.request-timeout})
   */
  UrlImages(UrlFetcher fetcher, AdmissionGate gate, long maxImageBytes, Duration requestTimeout) {
    this.fetcher = fetcher;
    this.gate = gate;
    this.maxImageBytes = maxImageBytes;
    this.requestTimeout = requestTimeout;
  }

  /** The allow-list URL inputs are checked against when parsed, or null when fetching is off. */
  UrlPolicy policy() {
    return fetcher == null ? null : fetcher.policy();
  }

  /** A request with every image in place, and the fetched bytes' share of the body budget. */
  record Resolved(EmbeddingsRequest request, List<AdmissionGate.Reservation> reservations)
      implements AutoCloseable {
    @Override
    public void close() {
      reservations.forEach(AdmissionGate.Reservation::close);
    }
  }

  /**
   * {@code request} with its URLs fetched; a stage failed with the first failure otherwise. The
   * fetches are given up when the client of {@code http} leaves or after the request timeout.
   */
  CompletionStage<Resolved> resolve(HttpRequest http, EmbeddingsRequest request) {
    if (request.urls().isEmpty()) {
      return CompletableFuture.completedFuture(new Resolved(request, List.of()));
    }
    if (fetcher == null) {
      return CompletableFuture.failedFuture(
          new ApiException(ErrorKind.URL_FETCH_DISABLED, "this server does not fetch URLs"));
    }
    List<AdmissionGate.Reservation> held = new ArrayList<>();
    for (int i = 0; i < request.urls().size(); i++) {
      AdmissionGate.Reservation r = gate.tryBody(fetcher.settings().maxBytes());
      if (r == null) {
        held.forEach(AdmissionGate.Reservation::close);
        return CompletableFuture.failedFuture(
            new ApiException(
                ErrorKind.BUSY,
                "the server holds as many request and fetched bytes as it may"
                    + " (vitrail.http.admission.max-body-bytes-in-flight = "
                    + gate.limits().maxBodyBytesInFlight()
                    + "; each fetch reserves vitrail.http.fetch.max-bytes); retry later"));
      }
      held.add(r);
    }
    Map<Integer, byte[]> fetched = new HashMap<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Map.Entry<Integer, URI> e : request.urls().entrySet()) {
      int index = e.getKey();
      CompletableFuture<byte[]> one = fetch(http, index, e.getValue());
      all.add(
          one.thenAccept(
              bytes -> {
                synchronized (fetched) {
                  fetched.put(index, bytes);
                }
              }));
    }
    // allOf completes once every fetch has stopped, so a failure can give the whole budget back.
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ok, err) -> {
              if (err != null) {
                held.forEach(AdmissionGate.Reservation::close);
              }
            })
        .thenApply(
            done -> {
              synchronized (fetched) {
                return new Resolved(request.withFetched(fetched), held);
              }
            });
  }

  private CompletableFuture<byte[]> fetch(HttpRequest http, int index, URI url) {
    // The fetcher's own future: cancelling or failing it is what stops the fetch.
    return ConnectionWatch.forRequest(http, fetcher.fetch(url), requestTimeout)
        .handle(
            (ok, err) -> {
              if (err != null) {
                Throwable e = err instanceof CompletionException c ? c.getCause() : err;
                if (e instanceof FetchException f) {
                  throw new FetchException(
                      f.reason(), "input[" + index + "]: " + f.getMessage(), f);
                }
                throw new CompletionException(e);
              }
              if (ok.bytes().length == 0) {
                throw new ApiException(
                    ErrorKind.INVALID_IMAGE, "input[" + index + "]: " + url + " sent no bytes");
              }
              if (ok.bytes().length > maxImageBytes) {
                throw new ApiException(
                    ErrorKind.IMAGE_TOO_LARGE,
                    "input["
                        + index
                        + "]: "
                        + ok.bytes().length
                        + " bytes exceed vitrail.http.max-image-bytes = "
                        + maxImageBytes);
              }
              return ok.bytes();
            });
  }
}
