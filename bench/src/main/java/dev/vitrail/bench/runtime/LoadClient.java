package dev.vitrail.bench.runtime;

import java.util.List;

/**
 * Which client the overload harness's load generator uses: {@code plain} ({@link
 * PlainSocketClient}: body sent with the headers, pre-built request written over kept-alive
 * sockets, cheap for the generator), {@code jdk} (Java's HttpClient, the same requests but several
 * times the generator's CPU per request: the harness's client before) or {@code expect} ({@link
 * ExpectContinueClient}: {@code Expect: 100-continue}, the body only after {@code 100 Continue}).
 */
enum LoadClient {
  PLAIN,
  JDK,
  EXPECT;

  /** The kinds named by the harness's argument: one kind, {@code both} or {@code all}. */
  static List<LoadClient> parse(String name) {
    return switch (name) {
      case "plain" -> List.of(PLAIN);
      case "jdk" -> List.of(JDK);
      case "expect" -> List.of(EXPECT);
      case "both" -> List.of(PLAIN, EXPECT);
      case "all" -> List.of(PLAIN, JDK, EXPECT);
      default -> throw new IllegalArgumentException("clients: plain, jdk, expect, both or all");
    };
  }

  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
