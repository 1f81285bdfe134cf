package dev.vitrail.runtime.http;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The process's one {@link BusyLog} (WARN lines of {@link HttpErrors}' logger, one per {@link
 * #INTERVAL} at most under overload) and the daemon timer that writes its counted refusals once the
 * interval has passed, created on first use.
 */
final class BusyLogTimer {
  /** At most about one busy line per this interval. */
  static final Duration INTERVAL = Duration.ofSeconds(10);

  static final BusyLog LOG =
      new BusyLog(INTERVAL, System::nanoTime, LoggerFactory.getLogger(HttpErrors.class)::warn);

  static {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vitrail-busy-log");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(LOG::flush, 1, 1, TimeUnit.SECONDS);
  }

  private BusyLogTimer() {}
}
