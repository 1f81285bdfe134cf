package dev.vitrail.runtime.docs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A documented {@code ./vitrail serve} line run as its own JVM from the test class path, with the
 * line's environment, on a free port ({@code --port 0}); every wait is bounded.
 */
final class ServeProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("serving '.*' on http://[^:]+:(\\d+)");
  private final Process process;
  private final int port;

  private ServeProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static ServeProcess start(Path dir, ShellCommand serve) throws Exception {
    List<String> args = new ArrayList<>(serve.args());
    int p = args.indexOf("--port");
    if (p >= 0) {
      args.set(p + 1, "0");
    } else {
      args.addAll(List.of("--port", "0"));
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xss4m",
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.vitrail.runtime.cli.Main"));
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(serve.env());
    Process process = pb.start();
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(10_000);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                for (String l; (l = r.readLine()) != null; ) {
                  lines.offer(l);
                }
              } catch (Exception e) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l != null) {
        seen.append(l).append('\n');
        Matcher m = SERVING.matcher(l);
        if (m.find()) {
          return new ServeProcess(process, Integer.parseInt(m.group(1)));
        }
      } else if (!process.isAlive()) {
        break;
      }
    }
    process.destroyForcibly();
    throw new AssertionError(serve.where() + ": the server did not start:\n" + seen);
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: the documented graceful shutdown
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
