package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.preprocess.FrameSampler;
import dev.vitrail.encoders.preprocess.ImageProcessors;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.video.TestVideos;
import dev.vitrail.runtime.video.VideoDecoder;
import dev.vitrail.runtime.video.VideoFraming;
import dev.vitrail.runtime.video.VideoInputs;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/video} on a real server: the streamed records equal {@code vitrail video}'s
 * tensors frame by frame (NDJSON and safetensors, raw and multipart uploads, fps / every); a
 * truncated video ends with a warning; a second video while one streams is 503 busy; a client that
 * goes away stops the stream and frees its slot and temporary file.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class VideoEndpointTest {
  @TempDir static Path dir;
  @TempDir static Path uploads;
  private VideoServer s;
  private Path avi;
  private byte[] aviBytes;

  @BeforeAll
  void start() throws Exception {
    s = new VideoServer(uploads);
    avi = dir.resolve("clip.avi");
    TestVideos.writeMjpegAvi(avi, 64, 48, 11, 10);
    aviBytes = Files.readAllBytes(avi);
  }

  @AfterAll
  void stop() {
    s.close();
  }

  @Test
  void ndjsonRecordsEqualTheVideoCommandFrameByFrame() {
    HttpResponse<byte[]> res =
        s.http.postAs("/v1/video?model=clip-tiny&every=2", "video/x-msvideo", aviBytes);
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    assertEquals("application/x-ndjson", res.headers().firstValue("Content-Type").get());
    List<JsonNode> lines = VideoServer.lines(res.body());
    JsonNode end = lines.get(lines.size() - 1);
    assertEquals("video.end", end.get("object").asText(), end.toString());
    assertEquals(6, end.get("records").asInt());
    assertEquals(11, end.get("frames_decoded").asInt());
    List<VideoServer.Record> got =
        lines.subList(0, lines.size() - 1).stream().map(VideoServer::record).toList();
    VideoServer.assertSame(
        VideoServer.cli(VideoServer.CLIP, avi, dir.resolve("every.safetensors"), "--every", "2"),
        got);
    for (int i = 0; i < got.size(); i++) {
      assertEquals(i, lines.get(i).get("index").asInt());
    }
  }

  @Test
  void qwenTemporalPatchesAsALengthPrefixedSafetensorsStreamFromAMultipartUpload() {
    byte[] body = EncodeEndpointTest.multipartFile("clip.avi", "video/x-msvideo", aviBytes);
    HttpResponse<byte[]> res =
        s.http.postAs(
            "/v1/video?model=qwen2_5_vl-tiny",
            EncodeEndpointTest.multipartType(),
            body,
            "Accept",
            "application/octet-stream");
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    Map<String, Object> stream = VideoServer.stream(res.body());
    @SuppressWarnings("unchecked")
    List<VideoServer.Record> got = (List<VideoServer.Record>) stream.get("frames");
    List<VideoServer.Record> want =
        VideoServer.cli(VideoServer.QWEN, avi, dir.resolve("qwen.safetensors"));
    VideoServer.assertSame(want, got);
    assertEquals("frames_000000-000001", got.get(0).name());
    @SuppressWarnings("unchecked")
    Map<String, String> end = (Map<String, String>) stream.get("");
    assertEquals("video.end", end.get("object"));
    assertEquals(Integer.toString(want.size()), end.get("records"));
  }

  @Test
  void fpsKeepsTheFramesTheSamplerKeeps() throws Exception {
    HttpResponse<byte[]> res =
        s.http.postAs("/v1/video?model=clip-tiny&fps=3&format=safetensors", "video/avi", aviBytes);
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    @SuppressWarnings("unchecked")
    List<VideoServer.Record> got =
        (List<VideoServer.Record>) VideoServer.stream(res.body()).get("frames");
    VideoServer.assertSame(
        VideoServer.cli(VideoServer.CLIP, avi, dir.resolve("fps.safetensors"), "--fps", "3"), got);
    int kept = 0;
    try (VideoDecoder d = VideoDecoder.open(avi, FrameSampler.atFps(3))) {
      var inputs =
          new VideoInputs(
              d,
              ImageProcessors.forModel(VideoServer.CLIP),
              VideoFraming.framesPerInput(s.clip.config()));
      while (inputs.hasNext()) {
        inputs.next();
        kept++;
      }
    }
    assertEquals(kept, got.size());
    assertTrue(kept < 11 && kept > 1, kept + " frames");
  }

  @Test
  void pooledNormalizedRecordsFollowTheEmbeddingsOptions() {
    HttpResponse<byte[]> res =
        s.http.postAs("/v1/video?model=clip-tiny&dimensions=8&every=5", "video/avi", aviBytes);
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    List<JsonNode> lines = VideoServer.lines(res.body());
    assertEquals(4, lines.size()); // frames 0, 5, 10 and the end
    for (JsonNode line : lines.subList(0, 3)) {
      float[] v = EmbeddingServerTest.floats(line.get("embedding"));
      assertEquals(8, v.length);
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      assertEquals(1.0, Math.sqrt(norm), 1e-5);
    }
  }

  @Test
  void aTruncatedVideoEndsWithAWarningNamingBothCounts() throws Exception {
    Path whole = dir.resolve("long.avi");
    TestVideos.writeMjpegAvi(whole, 64, 48, 30, 10);
    byte[] bytes = Files.readAllBytes(whole);
    byte[] cut = Arrays.copyOf(bytes, bytes.length * 7 / 10);
    HttpResponse<byte[]> res = s.http.postAs("/v1/video?model=clip-tiny", "video/avi", cut);
    assertEquals(200, res.statusCode(), new String(res.body(), StandardCharsets.UTF_8));
    List<JsonNode> lines = VideoServer.lines(res.body());
    JsonNode end = lines.get(lines.size() - 1);
    assertEquals("video.end", end.get("object").asText());
    int read = end.get("records").asInt();
    assertTrue(read > 0 && read < 30, end.toString());
    assertTrue(
        end.get("warning").asText().startsWith("read " + read + " of about "), end.toString());
  }

  @Test
  void aSecondVideoWhileOneUploadsIsBusyAndAClientThatLeavesFreesEverything() throws Exception {
    Path longer = dir.resolve("longer.avi");
    int frames = 1000;
    TestVideos.writeMjpegAvi(longer, 64, 48, frames, 25);
    byte[] bytes = Files.readAllBytes(longer);
    var address = s.server.address();
    try (Socket upload = new Socket(address.getHostString(), address.getPort())) {
      OutputStream out = upload.getOutputStream();
      out.write(
          head("/v1/video?model=clip-tiny", bytes.length).getBytes(StandardCharsets.US_ASCII));
      out.write(bytes, 0, bytes.length / 2); // the upload is under way: it holds the one slot
      out.flush();
      VideoServer.awaitTempFiles(uploads, 1);
      HttpResponse<byte[]> busy = s.http.postAs("/v1/video?model=clip-tiny", "video/avi", aviBytes);
      assertEquals(503, busy.statusCode());
      assertEquals("busy", HttpCalls.json(busy).get("error").get("type").asText());
      assertTrue(busy.headers().firstValue("Retry-After").isPresent());
    } // the client goes away mid-upload: the slot and the file are given back
    VideoServer.awaitTempFiles(uploads, 0);
    long encodedBefore = encoded();
    try (Socket reader = new Socket(address.getHostString(), address.getPort())) {
      OutputStream out = reader.getOutputStream();
      out.write(
          head("/v1/video?model=clip-tiny", bytes.length).getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
      InputStream in = reader.getInputStream();
      String first = readUntil(in, "\"video.frame\"");
      assertTrue(first.startsWith("HTTP/1.1 200"), first);
      assertTrue(first.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked"));
    } // leaves after the first record: the stream stops, the decoder and file are freed
    VideoServer.awaitTempFiles(uploads, 0);
    // The stream counts its images when it ends, just after it closed the video (and deleted the
    // file), so the file being gone does not mean the count is in yet.
    ClientGoneTest.await("the left stream counted", () -> encoded() > encodedBefore);
    long sent = encoded() - encodedBefore;
    assertTrue(sent > 0 && sent < frames, sent + " of " + frames + " frames were encoded");
    HttpResponse<byte[]> again =
        s.http.postAs("/v1/video?model=clip-tiny&every=4", "video/avi", aviBytes);
    assertEquals(200, again.statusCode(), new String(again.body(), StandardCharsets.UTF_8));
    String metrics = new String(s.http.get("/metrics").body(), StandardCharsets.UTF_8);
    assertTrue(metrics.contains("vitrail_http_items_in_flight 0"), metrics);
  }

  private long encoded() {
    String metrics = new String(s.http.get("/metrics").body(), StandardCharsets.UTF_8);
    return metrics
        .lines()
        .filter(l -> l.startsWith("vitrail_images_encoded_total "))
        .mapToLong(l -> Long.parseLong(l.split(" ")[1]))
        .findFirst()
        .orElseThrow();
  }

  private static String head(String path, int length) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: video/avi\r\nContent-Length: "
        + length
        + "\r\n\r\n";
  }

  private static String readUntil(InputStream in, String marker) throws Exception {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      seen.write(b);
      if (seen.toString(StandardCharsets.UTF_8).contains(marker)) {
        return seen.toString(StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no " + marker + " in " + seen.toString(StandardCharsets.UTF_8));
  }
}
