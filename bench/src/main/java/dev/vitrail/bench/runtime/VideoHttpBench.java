package dev.vitrail.bench.runtime;

import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.runtime.cli.Main;
import dev.vitrail.runtime.http.EmbeddingServer;
import dev.vitrail.runtime.http.HttpSettings;
import dev.vitrail.runtime.http.VideoSettings;
import dev.vitrail.runtime.model.ServedModel;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code POST /v1/video} frames per second against {@code vitrail video} on the same model and
 * generated H.264 clip, side by side in one process: the CLI run through {@code Main} (its wall
 * time, and the same less the model start it includes, measured alone), the HTTP answer read to its
 * end record as NDJSON and as a safetensors stream. Arguments: {@code MODEL [frames] [runs] [width]
 * [height]} (default 300, 3, 640, 360).
 */
public final class VideoHttpBench {
  private VideoHttpBench() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    int frames = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int w = args.length > 3 ? Integer.parseInt(args[3]) : 640;
    int h = args.length > 4 ? Integer.parseInt(args[4]) : 360;
    Path clip = Files.createTempFile("vitrail-video-bench", ".mp4");
    Path out = Files.createTempFile("vitrail-video-bench", ".safetensors");
    try (ServedModel served = ServedModel.open(model, null, RuntimeSettings.load());
        EmbeddingServer server =
            EmbeddingServer.start(
                List.of(served),
                HttpSettings.load().withAddress("127.0.0.1", 0),
                VideoSettings.load())) {
      VideoDecodeBench.write(clip, w, h, frames, 30);
      System.out.printf(
          "model %s, %d frames of %dx%d H.264 (%d bytes), %d runs%n",
          model, frames, w, h, Files.size(clip), runs);
      String base =
          "http://127.0.0.1:" + server.address().getPort() + "/v1/video?model=" + served.name();
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      cli(model, clip, out); // warm-up
      http(client, base, clip, frames);
      double[] cli = new double[runs];
      double[] open = new double[runs];
      double[] ndjson = new double[runs];
      double[] safetensors = new double[runs];
      for (int r = 0; r < runs; r++) {
        cli[r] = cli(model, clip, out);
        open[r] = open(model);
        ndjson[r] = http(client, base, clip, frames);
        safetensors[r] = http(client, base + "&format=safetensors", clip, frames);
      }
      double cliFps = frames / VideoDecodeBench.median(cli);
      double cliStreamFps = frames / (VideoDecodeBench.median(cli) - VideoDecodeBench.median(open));
      double nd = frames / VideoDecodeBench.median(ndjson);
      double st = frames / VideoDecodeBench.median(safetensors);
      System.out.printf(
          "vitrail video: median %.1f frames/s wall (%.1f without its %.2f s model start) %s%n",
          cliFps, cliStreamFps, VideoDecodeBench.median(open), Arrays.toString(cli));
      System.out.printf(
          "POST /v1/video NDJSON: median %.1f frames/s %s%n", nd, Arrays.toString(ndjson));
      System.out.printf(
          "POST /v1/video safetensors: median %.1f frames/s %s%n",
          st, Arrays.toString(safetensors));
      System.out.printf(
          "ratio HTTP / CLI: NDJSON %.2f (%.2f), safetensors %.2f (%.2f) of wall (stream-only)%n",
          nd / cliFps, nd / cliStreamFps, st / cliFps, st / cliStreamFps);
    } finally {
      Files.deleteIfExists(clip);
      Files.deleteIfExists(out);
    }
  }

  /** Seconds of one {@code vitrail video} run, model start included. */
  private static double cli(Path model, Path clip, Path out) {
    long t0 = System.nanoTime();
    StringWriter err = new StringWriter();
    int status =
        Main.run(
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true),
            "video",
            "--model",
            model.toString(),
            "--out",
            out.toString(),
            clip.toString());
    if (status != 0) {
      throw new IllegalStateException("vitrail video failed: " + err);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Seconds to start and stop the model alone (what the CLI's time includes beyond the stream). */
  private static double open(Path model) {
    long t0 = System.nanoTime();
    try (ServedModel m = ServedModel.open(model, null, RuntimeSettings.load())) {
      m.name();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Seconds from sending the upload to reading the answer's last byte; checks the count. */
  private static double http(HttpClient client, String url, Path clip, int frames)
      throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<InputStream> res =
        client.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "video/mp4")
                .POST(HttpRequest.BodyPublishers.ofFile(clip))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    long records = 0;
    String last = "";
    try (InputStream in = res.body()) {
      if (url.contains("format=safetensors")) {
        byte[] len = new byte[8];
        while (in.readNBytes(len, 0, 8) == 8) {
          long n = java.nio.ByteBuffer.wrap(len).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
          last = new String(in.readNBytes((int) n), StandardCharsets.UTF_8);
          records++;
        }
      } else {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          last = line;
          records++;
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (res.statusCode() != 200 || records != frames + 1 || !last.contains("video.end")) {
      throw new IllegalStateException(
          "HTTP " + res.statusCode() + ": " + records + " records, last " + last);
    }
    return seconds;
  }
}
