package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.net.URL;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Vitrail's logging set up in code, and stepping aside for a user's logback configuration. */
class ConsoleLoggingTest {
  @Test
  void logbackFindsItAsAService() {
    boolean found = false;
    for (Configurator c : ServiceLoader.load(Configurator.class)) {
      found |= c instanceof ConsoleLogging;
    }
    assertTrue(found, "META-INF/services names ConsoleLogging");
  }

  @Test
  void stepsAsideWhenTheClassPathHasALogbackFile() {
    // The test class path has logback-test.xml (the capturing appender): logback's own wins.
    LoggerContext context = new LoggerContext();
    ConsoleLogging logging = new ConsoleLogging();
    logging.setContext(context);
    assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, logging.configure(context));
    assertNull(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
  }

  @Test
  void vitrailLogConsoleForcesItOverALogbackFile() {
    String before = System.getProperty(ConsoleLogging.FORCE_PROPERTY);
    System.setProperty(ConsoleLogging.FORCE_PROPERTY, "console");
    LoggerContext context = new LoggerContext();
    try {
      ConsoleLogging logging = new ConsoleLogging();
      logging.setContext(context);
      assertEquals(
          Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, logging.configure(context));
      assertInstanceOf(
          ConsoleAppender.class, context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
    } finally {
      context.stop();
      if (before == null) {
        System.clearProperty(ConsoleLogging.FORCE_PROPERTY);
      } else {
        System.setProperty(ConsoleLogging.FORCE_PROPERTY, before);
      }
    }
  }

  @Test
  void configuresOneStandardErrorLineWithPekkoAtWarn() {
    // Without any logback file on the class path: a loader that sees none.
    ClassLoader bare =
        new ClassLoader(ConsoleLogging.class.getClassLoader()) {
          @Override
          public URL getResource(String name) {
            return name.startsWith("logback") ? null : super.getResource(name);
          }
        };
    LoggerContext context = new LoggerContext();
    ConsoleLogging logging = new ConsoleLogging(bare);
    logging.setContext(context);
    assertEquals(
        Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, logging.configure(context));
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.INFO, root.getLevel());
    ConsoleAppender<?> stderr = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
    assertEquals("System.err", stderr.getTarget());
    assertEquals(
        ConsoleLogging.PATTERN,
        assertInstanceOf(PatternLayoutEncoder.class, stderr.getEncoder()).getPattern());
    assertEquals(Level.WARN, context.getLogger("org.apache.pekko").getLevel());
    assertEquals(
        Level.ERROR, context.getLogger("org.apache.pekko.actor.CoordinatedShutdown").getLevel());
    context.stop();
  }
}
