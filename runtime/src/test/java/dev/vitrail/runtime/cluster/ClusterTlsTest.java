package dev.vitrail.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.preprocess.ImageProcessor;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.http.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Artery TLS with mutual authentication across real JVMs: a key pair made here with the JDK's
 * {@code keytool}; a worker holding it joins the supervisor and gets work, a worker with a
 * certificate of its own (not trusted, and not trusting) cannot join and exits 3.
 */
class ClusterTlsTest {
  private static final Path MODEL = Fixtures.root().resolve("models/clip-tiny");
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String PASS = "vitrail-test";

  @Test
  void mutuallyAuthenticatedNodesJoinAndAStrangerCannot() throws Exception {
    Path dir =
        Files.createDirectories(
                Path.of("target", "cluster-test-logs", "tls-" + System.currentTimeMillis()))
            .toAbsolutePath();
    List<String> good = tls(keyPair(dir, "cluster"));
    List<String> stranger = tls(keyPair(dir, "stranger"));
    int http = Node.freePort();
    int sp = Node.freePort();
    int wp = Node.freePort();
    Node sup = Node.serve(dir, MODEL, http, sp);
    sup.withJvm(good.toArray(String[]::new));
    Node worker = Node.worker(dir, MODEL, sp, wp).withJvm(good.toArray(String[]::new));
    Node outsider =
        Node.worker(dir, MODEL, sp, Node.freePort())
            .withJvm(stranger.toArray(String[]::new))
            .withJvm("-Dvitrail.cluster.join-timeout=8s");
    ImageProcessor processor = ImageProcessors.forModel(MODEL);
    Traffic traffic = new Traffic(http);
    try (FeatureEncoder direct = FeatureEncoders.open(MODEL, EncoderOptions.cpu());
        sup;
        worker;
        outsider) {
      List<byte[]> images = new ArrayList<>();
      List<FeatureOutput> expected = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        images.add(TestImages.png(24 + 5 * i, 30, 40 + i));
        expected.add(
            direct
                .encode(List.of(processor.process(images.get(i))), FeatureSpec.defaults())
                .get(0));
      }
      sup.start();
      sup.awaitLog("serving 'clip-tiny'", 1, WAIT);
      worker.start();
      outsider.start();
      worker.awaitLog("joined:", 1, WAIT);
      ClientStream stream = new ClientStream(traffic, images, expected).start();
      long end = System.nanoTime() + WAIT.toNanos();
      while (traffic.metricSum("vitrail_worker_completed_total", ":" + wp + "/") == 0) {
        assertTrue(System.nanoTime() < end, "no work on the TLS worker; log " + worker.log);
        Thread.sleep(100);
      }
      stream.stop();
      assertEquals(3, outsider.awaitExit(WAIT), "the stranger exits 3; log " + outsider.log);
      assertEquals(1, outsider.count("vitrail worker: could not join the cluster at"));
      assertEquals(0, outsider.count("joined:"));
      assertEquals(2, traffic.metric("vitrail_live_workers"), "local + the TLS worker");
      assertEquals(0, traffic.wrong.get(), "wrong answers: " + traffic.problems);
      assertEquals(0, traffic.failed.get(), "failed requests: " + traffic.problems);
      assertTrue(traffic.correct.get() > 0);
    }
  }

  /**
   * A PKCS12 key store with a fresh key pair, made with the one command the docs give; it is also
   * the trust store (a node trusts exactly the holders of that key pair).
   */
  private static Path keyPair(Path dir, String name) throws Exception {
    Path ks = dir.resolve(name + ".p12");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=vitrail-" + name,
        "-keystore",
        ks.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASS,
        "-keypass",
        PASS);
    return ks;
  }

  private static List<String> tls(Path store) {
    String p = "-Dvitrail.cluster.tls.";
    return List.of(
        p + "enabled=true",
        p + "key-store=" + store,
        p + "key-store-password=" + PASS,
        p + "key-password=" + PASS,
        p + "trust-store=" + store,
        p + "trust-store-password=" + PASS);
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool finished");
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), "keytool " + args[0] + ": " + out);
  }
}
