package dev.vitrail.runtime.http;

import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Writes {@code /metrics} in the Prometheus text exposition format (version 0.0.4): each metric's
 * {@code # HELP} and {@code # TYPE} lines, then its samples, unlabelled or one per model.
 */
final class PrometheusText {
  private PrometheusText() {}

  /** The {@code # HELP} and {@code # TYPE} lines of metric {@code name}. */
  static void header(StringBuilder s, String name, String type, String help) {
    s.append("# HELP ").append(name).append(' ').append(help).append('\n');
    s.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** A counter with one unlabelled sample. */
  static void counter(StringBuilder s, String name, String help, long value) {
    header(s, name, "counter", help);
    s.append(name).append(' ').append(value).append('\n');
  }

  /** A gauge with one unlabelled sample. */
  static void gauge(StringBuilder s, String name, String help, long value) {
    header(s, name, "gauge", help);
    s.append(name).append(' ').append(value).append('\n');
  }

  /** A metric with one sample per entry of {@code perModel}, labelled {@code model="name"}. */
  static <T> void perModel(
      StringBuilder s,
      String name,
      String type,
      String help,
      Map<String, T> perModel,
      ToLongFunction<T> value) {
    header(s, name, type, help);
    perModel.forEach(
        (model, stats) ->
            s.append(name)
                .append("{model=\"")
                .append(model.replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\"} ")
                .append(value.applyAsLong(stats))
                .append('\n'));
  }
}
