package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BusyLogTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong clock = new AtomicLong(1000 * SECOND);
  private final List<String> lines = new ArrayList<>();
  private final BusyLog log = new BusyLog(Duration.ofSeconds(10), clock::get, lines::add);

  @Test
  void logsTheFirstRefusalAtOnceThenCountsTheRestIntoOneLinePerInterval() {
    log.refused("r0", "budget full");
    assertEquals(List.of("request r0: 503 busy: budget full"), lines);
    for (int i = 1; i <= 100; i++) {
      clock.addAndGet(SECOND / 20); // 100 refusals in 5 s
      log.refused("r" + i, i == 100 ? "items full" : "budget full");
    }
    log.flush();
    assertEquals(1, lines.size(), "nothing more within the interval");
    clock.addAndGet(5 * SECOND);
    log.flush();
    assertEquals(2, lines.size());
    String summary = lines.get(1);
    assertTrue(
        summary.startsWith("503 busy: 100 more request(s) refused in the last 10.0 s"), summary);
    assertTrue(summary.contains("(request ids r1 .. r100)"), summary);
    assertTrue(summary.endsWith("last reason: items full"), summary);
    log.flush();
    assertEquals(2, lines.size(), "a flush with nothing counted writes nothing");
  }

  @Test
  void aRefusalAfterAQuietIntervalIsLoggedWithItsRequestId() {
    log.refused("a", "x");
    clock.addAndGet(11 * SECOND);
    log.refused("b", "y");
    assertEquals(List.of("request a: 503 busy: x", "request b: 503 busy: y"), lines);
  }

  @Test
  void sustainedOverloadWritesAboutOneLinePerIntervalAndLosesNoCount() {
    int refusals = 0;
    for (int t = 0; t < 600; t++) { // 10 refusals per 100 ms for 60 s
      for (int k = 0; k < 10; k++) {
        log.refused("r" + refusals++, "busy");
      }
      clock.addAndGet(SECOND / 10);
      if (t % 10 == 0) {
        log.flush();
      }
    }
    clock.addAndGet(20 * SECOND);
    log.flush();
    assertTrue(lines.size() <= 8, "lines: " + lines.size());
    long logged = 1; // the first line is one refusal
    for (String line : lines.subList(1, lines.size())) {
      logged += Long.parseLong(line.split(" ")[2]);
    }
    assertTrue(lines.size() >= 6, "lines: " + lines.size());
    assertEquals(refusals, logged, "every refusal is in some line");
  }

  @Test
  void httpErrorsLogsOtherServerErrorsEachWithTheirRequestId() {
    Logger logger = (Logger) LoggerFactory.getLogger(HttpErrors.class);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    logger.addAppender(captured);
    try {
      for (int i = 0; i < 3; i++) {
        HttpErrors.respond(
            new ApiException(ErrorKind.TIMEOUT, "too slow"), "t-" + i, Duration.ofSeconds(1));
        HttpErrors.respond(
            new ApiException(ErrorKind.SHUTTING_DOWN, "draining"), "s-" + i, Duration.ofSeconds(1));
      }
      for (int i = 0; i < 50; i++) {
        HttpErrors.respond(
            new ApiException(ErrorKind.BUSY, "full"), "b-" + i, Duration.ofSeconds(1));
      }
    } finally {
      logger.detachAppender(captured);
    }
    List<String> messages = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    for (int i = 0; i < 3; i++) {
      String id = "t-" + i;
      assertTrue(messages.stream().anyMatch(m -> m.startsWith("request " + id + ": 503")), id);
      String s = "s-" + i;
      assertTrue(messages.stream().anyMatch(m -> m.startsWith("request " + s + ": 503")), s);
    }
    long busyLines = messages.stream().filter(m -> m.contains("busy")).count();
    assertTrue(busyLines <= 2, "50 busy refusals in a burst: " + busyLines + " lines");
  }
}
