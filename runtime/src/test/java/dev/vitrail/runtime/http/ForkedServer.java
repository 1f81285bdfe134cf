package dev.vitrail.runtime.http;

import dev.vitrail.runtime.cli.ConsoleLogging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link HeldTowerServer} in its own JVM (for heap limits and real signals): started with the
 * given JVM options, its log in a file, its tower held or released through a marker file.
 */
final class ForkedServer implements AutoCloseable {
  private final Process process;
  private final Path hold;
  private final Path log;
  private final InetSocketAddress address;

  ForkedServer(Path dir, Path model, List<String> jvmOptions) throws IOException {
    this.hold = dir.resolve("hold");
    this.log = dir.resolve("server.log");
    process =
        new ProcessBuilder(command(model, hold, jvmOptions)).redirectError(log.toFile()).start();
    address = new InetSocketAddress("127.0.0.1", awaitPort());
  }

  /** The command line of a {@link HeldTowerServer} (then its further arguments). */
  static List<String> command(Path model, Path hold, List<String> jvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    // The serving log configuration (INFO to standard error), not the tests' capturing one.
    cmd.add("-D" + ConsoleLogging.FORCE_PROPERTY + "=console");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(HeldTowerServer.class.getName());
    cmd.add(model.toString());
    cmd.add(hold.toString());
    return cmd;
  }

  private int awaitPort() throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    // readLine ends when the process prints or exits; the test's own timeout bounds the wait.
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("PORT ")) {
        return Integer.parseInt(line.substring(5).trim());
      }
    }
    throw new IllegalStateException("the server process ended before listening:\n" + log());
  }

  InetSocketAddress address() {
    return address;
  }

  Process process() {
    return process;
  }

  /** Holds every tower call from now on. */
  void hold() throws IOException {
    Files.writeString(hold, "held");
  }

  /** Lets tower calls finish. */
  void release() throws IOException {
    Files.deleteIfExists(hold);
  }

  /** The server's log so far (its standard error). */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    release();
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
