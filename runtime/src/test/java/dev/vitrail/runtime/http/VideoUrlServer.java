package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.fetch.FetchSettings;
import dev.vitrail.runtime.fetch.FileOrigin;
import dev.vitrail.runtime.fetch.TestTls;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.video.TestVideos;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * CLIP-tiny served on 127.0.0.1:0 with URL fetching on for {@code *.test} and 127.0.0.1 (http
 * allowed, {@link TestTls}'s certificate trusted, one video slot of 1 MB), an http and an https
 * origin serving a small AVI, a slow image and misbehaving files, and names resolved by a fixed
 * table.
 */
final class VideoUrlServer implements AutoCloseable {
  static final long MAX_VIDEO = 1_000_000;

  /** The size of {@code /slow/slow.avi}: about 39 s at the origin's slow pace. */
  static final int SLOW_BYTES = 800_000;

  /**
   * The size of {@code /slow/slow.png}: under the 200 kB fetch limit, about 9.5 s at the origin's
   * slow pace.
   */
  static final int SLOW_IMAGE_BYTES = 190_000;

  final ServedModel clip;
  final EmbeddingServer server;
  final HttpCalls http;
  final FileOrigin origin;
  final FileOrigin tls;
  final byte[] avi;
  private final Path uploads;

  VideoUrlServer(Path dir, Path uploads) throws Exception {
    this(dir, uploads, EmbeddingServerTest.SETTINGS.requestTimeout());
  }

  /** As above, with {@code vitrail.http.request-timeout = requestTimeout}. */
  VideoUrlServer(Path dir, Path uploads, Duration requestTimeout) throws Exception {
    this.uploads = uploads;
    Path file = dir.resolve("clip.avi");
    TestVideos.writeMjpegAvi(file, 64, 48, 11, 10);
    avi = Files.readAllBytes(file);
    byte[] big = new byte[(int) MAX_VIDEO + 100_000];
    new Random(3).nextBytes(big);
    origin =
        new FileOrigin(false)
            .put("clip.avi", "video/x-msvideo", avi, true)
            .put("clip", "application/octet-stream", avi, false)
            .put("page.html", "text/html", "<html></html>".getBytes(StandardCharsets.UTF_8), true)
            .put("a.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, true)
            .put("big.avi", "video/x-msvideo", big, true)
            .put("big-chunked.avi", "video/x-msvideo", big, false)
            .put("slow.avi", "video/x-msvideo", Arrays.copyOf(big, SLOW_BYTES), true)
            .put("slow.png", "image/png", Arrays.copyOf(big, SLOW_IMAGE_BYTES), true)
            .put(
                "junk.mp4",
                "video/mp4",
                "certainly not a video".getBytes(StandardCharsets.UTF_8),
                true);
    tls = new FileOrigin(true).put("clip.avi", "video/x-msvideo", avi, true);
    clip =
        ServedModel.open(
            VideoServer.CLIP,
            null,
            VitrailTestSettings.of("vitrail.workers { count = 1, batch-limit = 8 }"));
    FetchSettings fetch =
        FetchSettings.off()
            .admitting(List.of("127.0.0.1", "*.test"), true)
            .withLimits(2, Duration.ofSeconds(5), Duration.ofSeconds(5), 200_000, 2)
            .withTrustStore(TestTls.TRUST, TestTls.PASSWORD);
    server =
        EmbeddingServer.start(
            List.of(clip),
            ClientGoneTest.settings(requestTimeout).withFetch(fetch),
            new VideoSettings(MAX_VIDEO, 1, 4, 1, uploads),
            VideoUrlServer::resolve);
    http = new HttpCalls(server.address());
  }

  /**
   * vid.test, tls.test and wrong.test name 127.0.0.1; private.test 10.1.2.3; metadata.test
   * 169.254.169.254.
   */
  private static InetAddress[] resolve(String host) throws UnknownHostException {
    String ip =
        switch (host) {
          case "vid.test", "tls.test", "wrong.test", "127.0.0.1" -> "127.0.0.1";
          case "private.test" -> "10.1.2.3";
          case "metadata.test" -> "169.254.169.254";
          default -> throw new UnknownHostException(host);
        };
    return new InetAddress[] {
      InetAddress.getByAddress(host, InetAddress.getByName(ip).getAddress())
    };
  }

  @Override
  public void close() {
    server.close();
    clip.close();
    origin.close();
    tls.close();
  }

  /** {@code POST /v1/video?model=clip-tiny&every=2&url=URL} without a body. */
  HttpResponse<byte[]> video(String url) {
    return http.postAs(
        "/v1/video?model=clip-tiny&every=2&url=" + URLEncoder.encode(url, StandardCharsets.UTF_8),
        "application/octet-stream",
        new byte[0]);
  }

  /** The frame records of a 200 NDJSON answer that ended with its end record. */
  static List<VideoServer.Record> records(HttpResponse<byte[]> res) {
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    List<JsonNode> lines = VideoServer.lines(res.body());
    JsonNode end = lines.get(lines.size() - 1);
    assertEquals("video.end", end.get("object").asText(), end.toString());
    assertEquals(lines.size() - 1, end.get("records").asInt());
    return lines.subList(0, lines.size() - 1).stream().map(VideoServer::record).toList();
  }

  static String enc(String url) {
    return URLEncoder.encode(url, StandardCharsets.UTF_8);
  }

  /** The bytes in the temporary video files now. */
  long uploadedBytes() {
    return temporaryFiles().stream().mapToLong(f -> f.toFile().length()).sum();
  }

  /**
   * Fails unless the origin saw its slow download's connection closed within {@code boundS} seconds
   * of {@code since} (a {@code System.nanoTime()}), before it had sent the whole {@code what}.
   */
  void assertSlowFetchStopped(long since, long boundS, String what) throws Exception {
    boolean sentAll;
    try {
      sentAll = origin.slowEnd.get(boundS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the fetch still ran " + boundS + " s after its request ended");
    }
    assertFalse(sentAll, "the whole " + what + " was fetched");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
    assertTrue(seconds < boundS, "the fetch ran on " + seconds + " s after its request ended");
  }

  /** Fails if a temporary video file is left (once the streams that hold one have ended). */
  void assertNoTempFiles() {
    VideoServer.awaitTempFiles(uploads, 0);
  }

  /** The temporary video files now. */
  List<Path> temporaryFiles() {
    try (Stream<Path> files = Files.list(uploads)) {
      return files.toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
