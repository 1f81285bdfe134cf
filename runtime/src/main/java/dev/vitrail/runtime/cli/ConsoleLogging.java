package dev.vitrail.runtime.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Vitrail's logging, set up in code (a logback {@link Configurator} found through {@code
 * META-INF/services}): one line per event on standard error, so that standard output holds only
 * results and summaries; Pekko at WARN. Reading the same setup from a {@code logback.xml} cost the
 * main job about a tenth of a second at every start (XML parser and Joran, ~600 classes).
 *
 * <p>A {@code logback-test.xml} or {@code logback.xml} on the class path, or {@code
 * -Dlogback.configurationFile=...}, still wins: this configurator then steps aside for logback's
 * own, unless {@code -Dvitrail.log=console} asks for this setup whatever the class path holds (the
 * test suite's forked servers, whose class path has the tests' {@code logback-test.xml}).
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
  /** The layout of a line: time, level, logger's simple name, message. */
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";

  /** The system property that forces this setup ({@code console}). */
  public static final String FORCE_PROPERTY = "vitrail.log";

  private final ClassLoader resources;

  /** The configurator logback instantiates (through {@code META-INF/services}). */
  public ConsoleLogging() {
    this(ConsoleLogging.class.getClassLoader());
  }

  /** Looks for a user's logback file through {@code resources}. */
  ConsoleLogging(ClassLoader resources) {
    this.resources = resources;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (userConfigured()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stderr);
    context.getLogger("org.apache.pekko").setLevel(Level.WARN);
    // vitrail serve handles SIGTERM itself (GracefulShutdown); Pekko's hook runs only at exit.
    context.getLogger("org.apache.pekko.actor.CoordinatedShutdown").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private boolean userConfigured() {
    if ("console".equals(System.getProperty(FORCE_PROPERTY))) {
      return false;
    }
    return System.getProperty("logback.configurationFile") != null
        || resources.getResource("logback-test.xml") != null
        || resources.getResource("logback.xml") != null;
  }
}
