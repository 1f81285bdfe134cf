package dev.vitrail.bench.runtime;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a refused request costs the server, in CPU time (robust on a shared machine, unlike
 * throughput): {@code vitrail serve} in its own JVM with a body budget of one 8 MiB body, held by a
 * chunked upload that never ends, so every further request is refused 503 busy before its body is
 * read; then N refusals from plain clients (Java's HttpClient, which sends the whole body first), N
 * from the overload harness's plain {@link PlainSocketClient} (the same requests, a cheaper client,
 * kept-alive connections) and N from clients that send {@code Expect: 100-continue}; then the
 * holder goes away and N requests are admitted one at a time. Reports server and load-generator CPU
 * milliseconds per request of each kind. Arguments: model dir (models/clip-tiny), N (40),
 * concurrency (8).
 */
public final class RefusalCostBench {
  private RefusalCostBench() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "models/clip-tiny");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    byte[] body = OverloadBody.of(5.8e6).json();
    Path log = Files.createTempFile("vitrail-refusal-server", ".log");
    List<String> options = new ArrayList<>();
    options.add("-Dvitrail.http.max-body-bytes=8m");
    options.add("-Dvitrail.http.admission.max-body-bytes-in-flight=8m");
    for (String o : System.getenv().getOrDefault("VITRAIL_SERVER_OPTS", "").split("\\s+")) {
      if (!o.isBlank()) {
        options.add(o);
      }
    }
    try (ServerProcess server = new ServerProcess(model, options, log)) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/embeddings");
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      send(client, uri, body, 3, 1, LoadClient.JDK); // warm-up, admitted
      try (Socket holder = new Socket("127.0.0.1", server.port())) {
        OutputStream out = holder.getOutputStream();
        out.write(
            ("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(500);
        for (LoadClient kind : LoadClient.values()) {
          send(client, uri, body, Math.max(4, n / 4), concurrency, kind); // warm-up, refused
        }
        report(
            "refused, plain (JDK HttpClient)",
            server,
            () -> send(client, uri, body, n, concurrency, LoadClient.JDK));
        report(
            "refused, plain (socket client)",
            server,
            () -> send(client, uri, body, n, concurrency, LoadClient.PLAIN));
        report(
            "refused, Expect: 100-continue",
            server,
            () -> send(client, uri, body, n, concurrency, LoadClient.EXPECT));
      }
      Thread.sleep(1000);
      report(
          "admitted (one at a time)",
          server,
          () -> send(client, uri, body, n / 2, 1, LoadClient.JDK));
      System.out.println(
          "server exit status after SIGTERM: " + server.stop() + " (log " + log + ")");
    }
  }

  @FunctionalInterface
  private interface Load {
    int[] run() throws Exception;
  }

  private static void report(String what, ServerProcess server, Load load) throws Exception {
    double serverCpu = server.cpuSeconds();
    Map<String, Double> threads = server.threadCpuSeconds();
    double ownCpu = ownCpuSeconds();
    long t0 = System.nanoTime();
    int[] statuses = load.run();
    double wall = (System.nanoTime() - t0) / 1e9;
    serverCpu = server.cpuSeconds() - serverCpu;
    ownCpu = ownCpuSeconds() - ownCpu;
    Map<String, Double> after = server.threadCpuSeconds();
    int ok = 0;
    int busy = 0;
    for (int s : statuses) {
      ok += s == 200 ? 1 : 0;
      busy += s == 503 ? 1 : 0;
    }
    System.out.printf(
        Locale.ROOT,
        "%-32s %3d requests (200: %d, 503: %d) in %.1f s: server CPU %.1f ms per request,"
            + " load generator CPU %.1f ms per request%n",
        what,
        statuses.length,
        ok,
        busy,
        wall,
        1000 * serverCpu / statuses.length,
        1000 * ownCpu / statuses.length);
    // Where the server's CPU went (threads that ended meanwhile are missing).
    StringBuilder top = new StringBuilder("    server threads, ms per request:");
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - threads.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(6)
        .forEach(
            e ->
                top.append(
                    String.format(
                        Locale.ROOT,
                        " %s %.1f;",
                        e.getKey(),
                        1000 * e.getValue() / statuses.length)));
    System.out.println(top);
  }

  /** {@code n} requests, {@code concurrency} at a time; their statuses. */
  private static int[] send(
      HttpClient client, URI uri, byte[] body, int n, int concurrency, LoadClient kind)
      throws Exception {
    int[] statuses = new int[n];
    try (ExpectContinueClient expecting = new ExpectContinueClient(concurrency);
        PlainSocketClient plain = new PlainSocketClient(uri, body, concurrency)) {
      for (int start = 0; start < n; start += concurrency) {
        List<CompletableFuture<Integer>> wave = new ArrayList<>();
        for (int i = start; i < Math.min(n, start + concurrency); i++) {
          wave.add(
              kind == LoadClient.EXPECT
                  ? expecting.post(uri, body)
                  : kind == LoadClient.PLAIN
                      ? plain.post()
                      : OpenLoopLoad.postJson(client, uri, body));
        }
        for (int i = 0; i < wave.size(); i++) {
          statuses[start + i] = wave.get(i).get();
        }
      }
    }
    return statuses;
  }

  private static double ownCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }
}
