package dev.vitrail.runtime.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitrail.encoders.api.FeatureOutput;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP client for the supervisor that checks every answer against direct tower outputs and
 * counts requests sent, answered correctly, failed and wrong, and the longest time one request took
 * to be answered correctly (the stall a fault causes to the requests it hits).
 */
final class Traffic {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final int httpPort;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong correct = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong wrong = new AtomicLong();
  final List<String> problems = new ArrayList<>();
  private long longest;

  Traffic(int httpPort) {
    this.httpPort = httpPort;
  }

  /** Sends one request of {@code images}; checks each item against {@code expected}. */
  boolean request(List<byte[]> images, List<FeatureOutput> expected) {
    sent.incrementAndGet();
    long start = System.nanoTime();
    ObjectNode body = MAPPER.createObjectNode().put("encoding_format", "float");
    var in = body.putArray("input");
    for (byte[] im : images) {
      String mime = (im[0] & 0xFF) == 0xFF ? "image/jpeg" : "image/png";
      in.add("data:" + mime + ";base64," + Base64.getEncoder().encodeToString(im));
    }
    try {
      HttpResponse<byte[]> res =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/embeddings"))
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (res.statusCode() != 200) {
        return problem(failed, "status " + res.statusCode() + ": " + new String(res.body()));
      }
      JsonNode data = MAPPER.readTree(res.body()).get("data");
      if (data.size() != images.size()) {
        return problem(wrong, data.size() + " items for " + images.size() + " images");
      }
      for (int i = 0; i < images.size(); i++) {
        JsonNode item = data.get(i);
        float[] want = expected.get(i).values();
        JsonNode got = item.get("embedding");
        if (item.get("index").asInt() != i || got.size() != want.length) {
          return problem(wrong, "item " + i + " misplaced or mis-sized");
        }
        for (int k = 0; k < want.length; k++) {
          if (Math.abs(got.get(k).floatValue() - want[k]) > 1e-5) {
            return problem(wrong, "item " + i + " value " + k + " differs");
          }
        }
      }
      synchronized (this) {
        longest = Math.max(longest, System.nanoTime() - start);
      }
      correct.incrementAndGet();
      return true;
    } catch (Exception e) {
      return problem(failed, e.toString());
    }
  }

  private synchronized boolean problem(AtomicLong counter, String what) {
    counter.incrementAndGet();
    if (problems.size() < 20) {
      problems.add(what);
    }
    return false;
  }

  /** Starts measuring request times afresh (e.g. just before a fault). */
  synchronized void resetLongest() {
    longest = 0;
  }

  /** The longest time a request took since the last reset. */
  synchronized Duration longest() {
    return Duration.ofNanos(longest);
  }

  /** The supervisor's {@code /metrics} text. */
  String metrics() {
    try {
      return new String(
          client
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray())
              .body());
    } catch (Exception e) {
      return "";
    }
  }

  /** The value of an unlabelled metric line, or -1. */
  long metric(String name) {
    for (String line : metrics().split("\n")) {
      if (line.startsWith(name + " ")) {
        return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return -1;
  }

  /** Sum of a labelled metric over the lines whose label contains {@code labelPart}. */
  long metricSum(String name, String labelPart) {
    long sum = 0;
    for (String line : metrics().split("\n")) {
      if (line.startsWith(name + "{") && line.contains(labelPart)) {
        sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
