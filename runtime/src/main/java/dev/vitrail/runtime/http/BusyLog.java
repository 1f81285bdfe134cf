package dev.vitrail.runtime.http;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The log of 503 {@code busy} answers, aggregated so that overload does not flood the log: a
 * refusal after a quiet {@code interval} is logged at once with its request id; the ones after it
 * are counted and reported in one line per interval (how many, the first and last request ids, the
 * last reason), written at the first refusal or {@link #flush()} (a timer calls it) once the
 * interval since the last line has passed. Under sustained overload that is one line per interval.
 * Pure: the clock and the line sink are given. Thread-safe.
 */
final class BusyLog {
  private final long intervalNanos;
  private final LongSupplier nanos;
  private final Consumer<String> sink;
  private long lineAt;
  private boolean logged;
  private long count;
  private String firstId;
  private String lastId;
  private String lastReason;

  BusyLog(Duration interval, LongSupplier nanos, Consumer<String> sink) {
    this.intervalNanos = interval.toNanos();
    this.nanos = nanos;
    this.sink = sink;
  }

  /** Records one busy answer to request {@code requestId} for {@code reason}. */
  synchronized void refused(String requestId, String reason) {
    long now = nanos.getAsLong();
    boolean due = !logged || now - lineAt >= intervalNanos;
    if (due && count == 0) {
      sink.accept("request " + requestId + ": 503 busy: " + reason);
      lineAt = now;
      logged = true;
      return;
    }
    if (count == 0) {
      firstId = requestId;
    }
    count++;
    lastId = requestId;
    lastReason = reason;
    if (due) {
      emitCounted(now);
      lineAt = now;
    }
  }

  /** Logs the refusals counted so far if the interval since the last line has passed. */
  synchronized void flush() {
    long now = nanos.getAsLong();
    if (count > 0 && now - lineAt >= intervalNanos) {
      emitCounted(now);
      lineAt = now;
    }
  }

  private void emitCounted(long now) {
    if (count == 0) {
      return;
    }
    sink.accept(
        String.format(
            Locale.ROOT,
            "503 busy: %d more request(s) refused in the last %.1f s (request ids %s .. %s);"
                + " last reason: %s",
            count,
            (now - lineAt) / 1e9,
            firstId,
            lastId,
            lastReason));
    count = 0;
  }
}
