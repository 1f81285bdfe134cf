package dev.vitrail.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.weights.SafetensorsHeader;
import dev.vitrail.runtime.api.VitrailTestSettings;
import dev.vitrail.runtime.cli.Main;
import dev.vitrail.runtime.dedupe.DedupeSettings;
import dev.vitrail.runtime.golden.Fixtures;
import dev.vitrail.runtime.model.ServedModel;
import dev.vitrail.runtime.safetensors.SafetensorsFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CLIP-tiny and Qwen2.5-VL-tiny served together on 127.0.0.1:0 with small video limits (one video
 * at a time, 3 MB), for the video and several-models tests; and what {@code vitrail video} writes
 * for the same video, to compare with.
 */
final class VideoServer implements AutoCloseable {
  static final Path CLIP = Fixtures.root().resolve("models/clip-tiny");
  static final Path QWEN = Fixtures.root().resolve("models/qwen2_5_vl-tiny");
  static final long MAX_VIDEO = 3_000_000;

  /** Dedupe caches on, so the several-models tests see each model's own counters. */
  static final DedupeSettings DEDUPE = new DedupeSettings(8 << 20, 64, 8 << 20, 16);

  final ServedModel clip;
  final ServedModel qwen;
  final EmbeddingServer server;
  final HttpCalls http;
  final Path temp;

  VideoServer(Path temp) {
    this.temp = temp;
    clip =
        ServedModel.open(
            CLIP, null, VitrailTestSettings.of("vitrail.workers { count = 1, batch-limit = 8 }"));
    qwen =
        ServedModel.open(
            QWEN, null, VitrailTestSettings.of("vitrail.workers { count = 1, batch-limit = 4 }"));
    HttpSettings settings =
        new HttpSettings(
                "127.0.0.1", 0, 300_000, 100_000, 8, Duration.ofSeconds(1), Duration.ofSeconds(60))
            .withDedupe(DEDUPE);
    server =
        EmbeddingServer.start(
            List.of(clip, qwen), settings, new VideoSettings(MAX_VIDEO, 1, 4, 1, temp));
    http = new HttpCalls(server.address());
  }

  /**
   * Waits (at most 30 s) until {@code dir} holds {@code n} temporary video files, and fails with
   * their names if it never does. A streamed answer deletes its file when the server's stream
   * terminates, which can be a moment after the client has read the last record.
   */
  static void awaitTempFiles(Path dir, int n) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    List<Path> files = listFiles(dir);
    while (files.size() != n && System.nanoTime() < deadline) {
      HeldTower.sleep(20);
      files = listFiles(dir);
    }
    assertEquals(n, files.size(), "temporary video files: " + files);
  }

  private static List<Path> listFiles(Path dir) {
    try (var files = Files.list(dir)) {
      return files.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A tensor of a video answer: its name, first-frame timestamp and features. */
  record Record(String name, long timestampMicros, FeatureOutput features) {}

  /** What {@code vitrail video --model DIR OPTIONS VIDEO} writes, in order. */
  static List<Record> cli(Path model, Path video, Path out, String... options) {
    List<String> args =
        new ArrayList<>(List.of("video", "--model", model.toString(), "--out", out.toString()));
    args.addAll(List.of(options));
    args.add(video.toString());
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            args.toArray(String[]::new));
    assertEquals(0, status, err.toString());
    try {
      Map<String, FeatureOutput> got = SafetensorsFiles.read(out);
      String[] stamps =
          SafetensorsFiles.header(Files.readAllBytes(out))
              .metadata()
              .get("timestamps_us")
              .split(",");
      List<Record> records = new ArrayList<>();
      int i = 0;
      for (Map.Entry<String, FeatureOutput> e : got.entrySet()) {
        records.add(new Record(e.getKey(), Long.parseLong(stamps[i++]), e.getValue()));
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The NDJSON lines of an answer. */
  static List<JsonNode> lines(byte[] body) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        try {
          out.add(HttpCalls.MAPPER.readTree(line));
        } catch (IOException e) {
          throw new UncheckedIOException("not JSON: " + line, e);
        }
      }
    }
    return out;
  }

  /** A frame line as a record. */
  static Record record(JsonNode line) {
    assertEquals("video.frame", line.get("object").asText(), line.toString());
    return new Record(
        line.get("name").asText(),
        line.get("timestamp_us").asLong(),
        new FeatureOutput(
            EmbeddingServerTest.floats(line.get("embedding")),
            EmbeddingServerTest.ints(line.get("shape"))));
  }

  /**
   * The records of a length-prefixed safetensors stream: frames, then the metadata of the last (end
   * or error) record, under the key {@code ""}.
   */
  static Map<String, Object> stream(byte[] body) {
    ByteBuffer buf = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    Map<String, Object> out = new LinkedHashMap<>();
    List<Record> frames = new ArrayList<>();
    while (buf.hasRemaining()) {
      long n = buf.getLong();
      ByteBuffer one = buf.slice().limit((int) n).order(ByteOrder.LITTLE_ENDIAN);
      buf.position(buf.position() + (int) n);
      SafetensorsHeader h = SafetensorsHeader.parse(one.duplicate().order(ByteOrder.LITTLE_ENDIAN));
      h.requireFileSize(n);
      Map<String, String> meta = h.metadata();
      if (h.entries().isEmpty()) {
        out.put("", meta);
        continue;
      }
      assertEquals(1, h.entries().size());
      String name = meta.get("name");
      SafetensorsHeader.Entry e = h.entry(name);
      float[] values = new float[(int) ((e.end() - e.begin()) / 4)];
      one.duplicate()
          .position((int) (h.dataStart() + e.begin()))
          .slice()
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer()
          .get(values);
      int[] shape = java.util.Arrays.stream(e.shape()).mapToInt(Math::toIntExact).toArray();
      frames.add(
          new Record(
              name, Long.parseLong(meta.get("timestamp_us")), new FeatureOutput(values, shape)));
    }
    out.put("frames", frames);
    return out;
  }

  /** Each record equal to the CLI's: names, timestamps, shapes, values within 1e-5. */
  static void assertSame(List<Record> want, List<Record> got) {
    assertEquals(want.stream().map(Record::name).toList(), got.stream().map(Record::name).toList());
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i).timestampMicros(), got.get(i).timestampMicros(), "record " + i);
      EmbeddingServerTest.assertClose(
          want.get(i).features(), got.get(i).features().shape(), got.get(i).features().values());
    }
    assertTrue(!want.isEmpty());
  }

  @Override
  public void close() {
    server.close();
    qwen.close();
    clip.close();
  }
}
