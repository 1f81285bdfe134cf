package dev.vitrail.runtime.cli;

import dev.vitrail.runtime.api.LibtorchTowers;
import dev.vitrail.runtime.cli.resident.ResidentServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;

/**
 * The resident JVM's main class (started by {@code ResidentClient}, argument: its socket): loads
 * libtorch, then runs {@code vitrail encode} command lines one at a time until idle for {@code
 * VITRAIL_RESIDENT_IDLE} seconds (default 600; {@code -Dvitrail.resident.idle} first) or asked to
 * stop. A client interrupted during its command ends this JVM at once (status 130), as the
 * interrupt would have ended a JVM of its own.
 */
public final class ResidentMain {
  /** Environment variable: seconds a resident JVM waits for its next command. */
  public static final String IDLE_ENV = "VITRAIL_RESIDENT_IDLE";

  /** System property taking precedence over {@link #IDLE_ENV} (tests bound their JVMs' life). */
  public static final String IDLE_PROPERTY = "vitrail.resident.idle";

  static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);

  private ResidentMain() {}

  public static void main(String[] args) throws IOException {
    LoggerFactory.getILoggerFactory();
    AtomicReference<ResidentServer> self = new AtomicReference<>();
    ResidentServer server =
        ResidentServer.open(
            Path.of(args[0]),
            idle(System.getProperty(IDLE_PROPERTY, System.getenv(IDLE_ENV))),
            ResidentMain::serves,
            Main::run,
            () -> {
              self.get().close();
              Runtime.getRuntime().halt(130);
            });
    if (server == null) {
      System.exit(0); // another resident JVM for the same key started first and serves
    }
    self.set(server);
    LibtorchTowers.preload();
    server.serve();
    System.exit(0);
  }

  /** The command lines a resident JVM runs: {@code encode} (the launcher sends no others). */
  static boolean serves(List<String> args) {
    return !args.isEmpty() && args.get(0).equals("encode");
  }

  /** The idle time {@code setting} names in seconds (unset: the default). */
  static Duration idle(String setting) {
    if (setting == null || setting.isBlank()) {
      return DEFAULT_IDLE;
    }
    try {
      long seconds = Long.parseLong(setting.trim());
      if (seconds > 0) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(
        IDLE_ENV + " must be a positive number of seconds, got '" + setting + "'");
  }
}
