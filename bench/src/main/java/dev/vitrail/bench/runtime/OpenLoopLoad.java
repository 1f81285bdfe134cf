package dev.vitrail.bench.runtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open-loop load: requests sent at a fixed rate whatever the answers (as independent clients
 * would), at most {@code maxOutstanding} unanswered at once (beyond that a send is counted as
 * skipped, not queued). Counts answers by status and the latency of each 200. The requests go
 * through the {@link LoadClient} given: with {@code expect} every request carries {@code Expect:
 * 100-continue} (as curl does for large bodies, through {@link ExpectContinueClient}): the body is
 * sent only after the server's {@code 100 Continue}, so a request refused before its body is read
 * never uploads it; {@code plain} and {@code jdk} send the body with the headers.
 */
final class OpenLoopLoad implements AutoCloseable {
  /** What one phase measured. */
  record Result(
      long sent,
      long answered,
      long ok,
      long busy,
      long other,
      long failed,
      long skipped,
      double seconds,
      double p50Millis,
      double p99Millis) {
    String line(String name) {
      return String.format(
          Locale.ROOT,
          "%-4s sent %d, answered %d: 200 %d, 503 %d, other %d; transport errors %d;"
              + " skipped at the client limit %d; admitted %.1f req/s; p50 %.0f ms, p99 %.0f ms",
          name,
          sent,
          answered,
          ok,
          busy,
          other,
          failed,
          skipped,
          ok / seconds,
          p50Millis,
          p99Millis);
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI uri;
  private final byte[] body;
  private final Semaphore outstanding;
  private final ExpectContinueClient expecting;
  private final PlainSocketClient plain;

  OpenLoopLoad(URI uri, byte[] body, int maxOutstanding, LoadClient kind) {
    this.uri = uri;
    this.body = body;
    this.outstanding = new Semaphore(maxOutstanding);
    this.expecting = kind == LoadClient.EXPECT ? new ExpectContinueClient(maxOutstanding) : null;
    this.plain = kind == LoadClient.PLAIN ? new PlainSocketClient(uri, body, maxOutstanding) : null;
  }

  /** Sends {@code rate} requests per second for {@code seconds}, then waits for every answer. */
  Result run(double rate, double seconds) throws InterruptedException {
    LongAdder ok = new LongAdder();
    LongAdder busy = new LongAdder();
    LongAdder other = new LongAdder();
    LongAdder failed = new LongAdder();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    long sent = 0;
    long skipped = 0;
    long start = System.nanoTime();
    long total = Math.round(rate * seconds);
    for (long i = 0; i < total; i++) {
      long due = start + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      if (!outstanding.tryAcquire()) {
        skipped++;
        continue;
      }
      sent++;
      long t0 = System.nanoTime();
      send()
          .whenComplete(
              (status, err) -> {
                outstanding.release();
                if (err != null) {
                  failed.increment();
                } else if (status == 200) {
                  ok.increment();
                  latencies.add(System.nanoTime() - t0);
                } else if (status == 503) {
                  busy.increment();
                } else {
                  other.increment();
                }
              });
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    // Every request gets its answer (or a transport error) before the phase ends.
    while (ok.sum() + busy.sum() + other.sum() + failed.sum() < sent) {
      Thread.sleep(10);
    }
    if (plain != null) {
      plain.closeIdle(); // no kept-alive connection waits idle into the next phase
    }
    long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(
        sent,
        ok.sum() + busy.sum() + other.sum(),
        ok.sum(),
        busy.sum(),
        other.sum(),
        failed.sum(),
        skipped,
        elapsed,
        percentile(l, 0.50),
        percentile(l, 0.99));
  }

  private CompletableFuture<Integer> send() {
    if (expecting != null) {
      return expecting.post(uri, body);
    }
    if (plain != null) {
      return plain.post();
    }
    return postJson(client, uri, body);
  }

  /** POSTs {@code body} as JSON with Java's client; the answer's status, its body discarded. */
  static CompletableFuture<Integer> postJson(HttpClient client, URI uri, byte[] body) {
    return client
        .sendAsync(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .thenApply(HttpResponse::statusCode);
  }

  @Override
  public void close() {
    if (expecting != null) {
      expecting.close();
    }
    if (plain != null) {
      plain.close();
    }
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
