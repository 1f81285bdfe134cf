package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while a forked server is still starting (its workers run, its port is not bound yet): the
 * signal is logged, what started is stopped, the process exits 0 (not the JVM's 143) and it never
 * listens.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StartupSignalTest {
  @TempDir Path dir;

  @Test
  void sigtermDuringStartupStopsWhatStartedAndExitsZero() throws Exception {
    Path startupHold = dir.resolve("startup-hold");
    Files.writeString(startupHold, "held");
    Path log = dir.resolve("server.log");
    List<String> cmd =
        new ArrayList<>(
            ForkedServer.command(
                ServerOverloadTest.MODEL, dir.resolve("hold"), ServerOverloadTest.SMALL_HEAP));
    cmd.add(startupHold.toString());
    Process process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("STARTING", out.readLine(), () -> read(log));
      process.destroy(); // SIGTERM, while start-up waits on the marker file
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!read(log).contains("during start-up") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Files.delete(startupHold);
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), () -> read(log));
      assertEquals(0, process.exitValue(), () -> read(log));
      String text = read(log);
      for (String line :
          List.of(
              "shutdown: SIGTERM received during start-up",
              "shutdown: stopping what start-up had started",
              "shutdown: done, exit status 0")) {
        assertTrue(text.contains(line), "missing '" + line + "' in\n" + text);
      }
      assertFalse(text.contains("serving model"), text); // it never listened
    } finally {
      process.destroyForcibly();
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
