package dev.vitrail.runtime.cli.resident;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vitrail.runtime.cli.Main;
import dev.vitrail.runtime.cli.ResidentMain;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.http.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vitrail encode} through a resident JVM writes the same file and says the same as in a JVM
 * of its own: in this JVM, and in a resident JVM the client starts and then reuses.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class ResidentEncodeTest {
  static final Path MODEL = Fixtures.root().resolve("models/clip-tiny");
  @TempDir Path tmp;
  private Path place;
  private Path images;

  @BeforeEach
  void setUp() throws IOException {
    place = TestResidents.folder(tmp.resolve("resident"), "rwx------");
    images = Files.createDirectories(tmp.resolve("images/sub"));
    Files.write(tmp.resolve("images/a.png"), TestImages.png(31, 20, 1));
    Files.write(images.resolve("b.jpg"), TestImages.encoded(16, 44, 2, "jpg"));
    Files.write(images.resolve("c.png"), TestImages.png(64, 48, 3));
    System.setProperty(ResidentPlace.DIR_PROPERTY, place.toString());
  }

  @AfterEach
  void stopResidents() throws IOException {
    try {
      ResidentStop.stopAll(Map.of());
    } finally {
      System.clearProperty(ResidentPlace.DIR_PROPERTY);
    }
  }

  private String[] encode(String out) {
    return new String[] {
      "encode",
      "--model",
      MODEL.toAbsolutePath().toString(),
      "--batch",
      "1",
      "--out",
      tmp.resolve(out).toString(),
      tmp.resolve("images").toString()
    };
  }

  /** Standard output without the timing figures. */
  private static String untimed(String out, String file) {
    return out.replaceAll("in [0-9.]+ s \\([0-9.]+ images/s\\)", "in T").replace(file, "FILE");
  }

  private String direct(String out) {
    StringWriter w = new StringWriter();
    StringWriter e = new StringWriter();
    assertEquals(
        0, Main.run(new PrintWriter(w, true), new PrintWriter(e, true), encode(out)), e.toString());
    return untimed(w.toString(), out);
  }

  @Test
  void anEncodeInAResidentServerInThisJvmEqualsOneRunDirectly() throws Exception {
    String want = direct("direct.safetensors");
    Path socket = new ResidentPlace(place).socket("k");
    ResidentServer server =
        ResidentServer.open(socket, Duration.ofMinutes(1), a -> true, Main::run, () -> {});
    assertNotNull(server);
    Thread serving =
        new Thread(() -> assertTimeoutPreemptively(Duration.ofMinutes(2), server::serve));
    serving.start();
    try {
      for (String name : List.of("r1.safetensors", "r2.safetensors")) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var ch = ResidentConnections.connect(socket)) {
          ResidentProtocol.writeRequest(
              ch, new ResidentProtocol.Request(ResidentProtocol.JOB, "/", List.of(encode(name))));
          assertEquals(0, ResidentClient.relay(ch, out, new ByteArrayOutputStream(), socket));
        }
        assertEquals(want, untimed(out.toString(StandardCharsets.UTF_8), name));
        assertArrayEquals(
            Files.readAllBytes(tmp.resolve("direct.safetensors")),
            Files.readAllBytes(tmp.resolve(name)));
      }
    } finally {
      server.close();
      serving.join(10_000);
    }
  }

  @Test
  void theClientStartsAResidentJvmThenReusesIt() throws Exception {
    String want = direct("direct.safetensors");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xss4m",
            "-D" + ResidentMain.IDLE_PROPERTY + "=60", // ends by itself should the test not stop it
            "-cp",
            System.getProperty("java.class.path"),
            ResidentMain.class.getName());
    List<Long> pids = new ArrayList<>();
    for (String name : List.of("s1.safetensors", "s2.safetensors")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status =
          assertTimeoutPreemptively(
              Duration.ofMinutes(3),
              () -> ResidentClient.run(command, List.of(encode(name)), System.getenv(), out, err));
      assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
      assertEquals(want, untimed(out.toString(StandardCharsets.UTF_8), name));
      assertArrayEquals(
          Files.readAllBytes(tmp.resolve("direct.safetensors")),
          Files.readAllBytes(tmp.resolve(name)));
      pids.add(residentPid());
    }
    assertEquals(pids.get(0), pids.get(1), "the second command ran in the same resident JVM");
    assertEquals(1, ResidentStop.stopAll(Map.of()));
    ProcessHandle resident = ProcessHandle.of(pids.get(0)).orElseThrow();
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> resident.onExit().join());
    try (Stream<Path> left = Files.list(place)) {
      assertFalse(left.anyMatch(p -> p.toString().endsWith(".sock")), "its socket is gone");
    }
  }

  /** A process's command line, its words ended by NULs ("" if it is gone or not readable). */
  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")));
    } catch (IOException e) {
      return "";
    }
  }

  /** The process id of the one resident JVM listening in the folder. */
  private long residentPid() throws IOException {
    List<Path> sockets;
    try (Stream<Path> files = Files.list(place)) {
      sockets = files.filter(p -> p.toString().endsWith(".sock")).toList();
    }
    assertEquals(1, sockets.size(), sockets.toString());
    String socket = sockets.get(0).toString();
    return ProcessHandle.allProcesses()
        .filter(p -> cmdline(p.pid()).contains(ResidentMain.class.getName() + "\0" + socket))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no process serves " + socket))
        .pid();
  }
}
