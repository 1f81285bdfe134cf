package dev.vitrail.runtime.cli.resident;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Resident servers in this JVM for tests, on a socket in a private folder, serving on threads of
 * their own until the test ends; commands sent as the launcher's client sends them. A test class
 * registers one as an extension ({@code @RegisterExtension final TestResidents r = new
 * TestResidents();}): each test gets a new private folder, and its servers are closed and the
 * folder removed after it.
 */
final class TestResidents implements BeforeEachCallback, AfterEachCallback {
  private Path tmp;
  private Path dir;
  private final List<ResidentServer> servers = new ArrayList<>();
  private final List<Thread> serving = new ArrayList<>();

  /** Makes the private folder {@code resident} in a new temporary folder. */
  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    tmp = Files.createTempDirectory("vitrail-resident-test");
    dir = folder(tmp.resolve("resident"), "rwx------");
  }

  /** Closes the servers, waits for their threads and removes the folders. */
  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException, IOException {
    servers.forEach(ResidentServer::close);
    for (Thread t : serving) {
      t.join(5_000);
    }
    servers.clear();
    serving.clear();
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A new folder {@code at} with exactly {@code permissions} (e.g. {@code rwx------}). */
  static Path folder(Path at, String permissions) throws IOException {
    Files.createDirectory(at);
    return Files.setPosixFilePermissions(at, PosixFilePermissions.fromString(permissions));
  }

  Path dir() {
    return dir;
  }

  Path socket() {
    return new ResidentPlace(dir).socket("k");
  }

  /** Opens a server that runs {@code encode} command lines only, and serves it on a thread. */
  ResidentServer start(Duration idle, ResidentServer.Job job, Runnable left) throws IOException {
    ResidentServer s =
        ResidentServer.open(socket(), idle, a -> a.get(0).equals("encode"), job, left);
    assertNotNull(s);
    servers.add(s);
    Thread t =
        new Thread(
            () -> {
              try {
                s.serve();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    t.start();
    serving.add(t);
    return s;
  }

  /** A server opened elsewhere, closed with the others. */
  void add(ResidentServer s) {
    servers.add(s);
  }

  /** The thread serving the {@code i}-th server {@link #start}ed. */
  Thread serving(int i) {
    return serving.get(i);
  }

  /** Output and status of one command through the socket, as the launcher's client gets them. */
  record Relayed(int status, String out, String err) {}

  Relayed send(String... args) throws IOException {
    try (SocketChannel ch = ResidentConnections.connect(socket())) {
      assertNotNull(ch, "nothing listens");
      ResidentProtocol.writeRequest(
          ch, new ResidentProtocol.Request(ResidentProtocol.JOB, "/somewhere", List.of(args)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = ResidentClient.relay(ch, out, err, dir.resolve("k.log"));
      return new Relayed(
          status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  /** A job that says it runs, waits until released, then prints {@code says} (if any). */
  static final class HeldJob implements ResidentServer.Job {
    final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch running = new CountDownLatch(1);
    private final String says;

    HeldJob(String says) {
      this.says = says;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err, String[] args) {
      running.countDown();
      await(release);
      if (!says.isEmpty()) {
        out.println(says);
      }
      return 0;
    }

    void awaitRunning() throws InterruptedException {
      assertTrue(running.await(10, TimeUnit.SECONDS), "the job started");
    }
  }

  /** Code a test runs on another thread, its failure an assertion error there. */
  interface Failing {
    void run() throws Exception;
  }

  static void assertDoesNotFail(Failing f) {
    try {
      f.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
