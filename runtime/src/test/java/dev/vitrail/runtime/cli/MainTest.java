package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.vitrail.runtime.safetensors.SafetensorsFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on CLIP-tiny: files written, features equal a direct tower call. */
@ExtendWith(LogCapturingExtension.class)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class MainTest {
  static final Path MODEL = Fixtures.root().resolve("models/clip-tiny");
  @TempDir Path dir;

  /** Exit status, standard output and standard error of one run. */
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(status, out.toString(), err.toString());
  }

  static void assertClose(FeatureOutput want, FeatureOutput got) {
    assertArrayEquals(want.shape(), got.shape());
    double worst = 0;
    for (int i = 0; i < got.values().length; i++) {
      worst = Math.max(worst, Math.abs(want.values()[i] - got.values()[i]));
    }
    assertTrue(worst <= 1e-5, "max abs difference " + worst);
  }

  @Test
  void encodeWritesOneTensorPerImageNamedByRelativePath() throws Exception {
    Path images = Files.createDirectories(dir.resolve("images/sub"));
    Files.write(dir.resolve("images/a.png"), TestImages.png(31, 20, 1));
    Files.write(images.resolve("b.jpg"), TestImages.encoded(16, 44, 2, "jpg"));
    Files.write(images.resolve("c.PNG"), TestImages.png(64, 48, 3));
    Files.writeString(dir.resolve("images/notes.txt"), "not an image");
    Path single = Files.write(dir.resolve("d.png"), TestImages.png(9, 9, 4));
    Path out = dir.resolve("features.safetensors");
    Run r =
        run(
            "encode",
            "--model",
            MODEL.toString(),
            "--workers",
            "2",
            "--batch",
            "2",
            "--out",
            out.toString(),
            dir.resolve("images").toString(),
            single.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("encoded 4 of 4 images"), r.out());
    Map<String, FeatureOutput> got = SafetensorsFiles.read(out);
    assertEquals(List.of("a.png", "sub/b.jpg", "sub/c.PNG", "d.png"), List.copyOf(got.keySet()));
    ImageProcessor processor = ImageProcessors.forModel(MODEL);
    try (FeatureEncoder tower = FeatureEncoders.open(MODEL, EncoderOptions.cpu())) {
      Map<String, Path> files =
          Map.of(
              "a.png",
              dir.resolve("images/a.png"),
              "sub/b.jpg",
              images.resolve("b.jpg"),
              "sub/c.PNG",
              images.resolve("c.PNG"),
              "d.png",
              single);
      for (var e : files.entrySet()) {
        FeatureOutput want =
            tower
                .encode(
                    List.of(processor.process(Files.readAllBytes(e.getValue()))),
                    FeatureSpec.defaults())
                .get(0);
        assertClose(want, got.get(e.getKey()));
      }
    }
  }

  @Test
  void encodeOptionsSelectFeaturesAndABrokenImageFailsAlone() throws Exception {
    Path images = Files.createDirectories(dir.resolve("imgs"));
    byte[] good = TestImages.png(20, 20, 5);
    Files.write(images.resolve("good.png"), good);
    Files.write(images.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Path out = dir.resolve("imgs.safetensors"); // no --out: beside the folder, named after it
    Run r =
        run(
            "encode",
            "--model",
            MODEL.toString(),
            "--select-layers",
            "-2,1",
            "--strategy",
            "full",
            images.toString());
    assertEquals(Main.SOME_FAILED, r.status(), r.out() + r.err());
    assertTrue(r.err().contains("broken.png"), r.err());
    assertTrue(r.out().contains("encoded 1 of 2 images"), r.out());
    Map<String, FeatureOutput> got = SafetensorsFiles.read(out);
    assertEquals(List.of("good.png"), List.copyOf(got.keySet()));
    try (FeatureEncoder tower = FeatureEncoders.open(MODEL, EncoderOptions.cpu())) {
      FeatureOutput want =
          tower
              .encode(
                  List.of(ImageProcessors.forModel(MODEL).process(good)),
                  new FeatureSpec(List.of(-2, 1), "full", true, false))
              .get(0);
      assertClose(want, got.get("good.png"));
    }
  }

  @Test
  void usageErrorsExitWithTwoAndSayWhatIsWrong() throws Exception {
    Path img = Files.write(dir.resolve("x.png"), TestImages.png(8, 8, 6));
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Path badModel = Files.createDirectories(dir.resolve("model"));
    Files.writeString(badModel.resolve("config.json"), "{\"model_type\": \"bert\"}");
    String[][] cases = {
      {"encode", "--model", dir.resolve("missing").toString(), img.toString()},
      {"encode", "--model", badModel.toString(), img.toString()},
      {"encode", "--model", MODEL.toString(), dir.resolve("nothing-here").toString()},
      {"encode", "--model", MODEL.toString(), empty.toString()},
      {"encode", "--model", MODEL.toString(), "--workers", "0", img.toString()},
      {"encode", "--model", MODEL.toString(), "--strategy", "cls", img.toString()},
      {"encode", "--model", MODEL.toString(), "--select-layers", "99", img.toString()},
      {"video", "--model", MODEL.toString(), "--select-layers", "-99", img.toString()},
      {"encode", "--model", MODEL.toString(), "--blas", "atlas", img.toString()},
      {"encode", "--model", MODEL.toString(), "--dtype", "int4", img.toString()},
      {
        "encode",
        "--model",
        MODEL.toString(),
        "--out",
        dir.resolve("no/dir/f.st").toString(),
        img.toString()
      },
      {"encode", img.toString()},
      {"video", "--model", MODEL.toString(), dir.resolve("missing.mp4").toString()},
      {"video", "--model", MODEL.toString(), "--fps", "2", "--every", "3", img.toString()},
      {
        "worker",
        "--model",
        dir.resolve("missing").toString(),
        "--seed-nodes",
        "pekko://vitrail@127.0.0.1:1"
      },
      {"worker", "--model", badModel.toString(), "--seed-nodes", "pekko://vitrail@127.0.0.1:1"},
      {"worker", "--model", MODEL.toString()},
      {"bench", "no-such-bench"},
      {"frobnicate"},
      {},
    };
    for (String[] c : cases) {
      Run r = run(c);
      assertEquals(Main.USAGE, r.status(), String.join(" ", c) + "\n" + r.out() + r.err());
      assertFalse(r.err().isBlank(), String.join(" ", c));
    }
    assertTrue(
        run("encode", "--model", badModel.toString(), img.toString()).err().contains("bert"));
    // Checked against the model before any worker starts: one line, at once.
    long start = System.nanoTime();
    Run layers =
        run("encode", "--model", MODEL.toString(), "--select-layers", "99", img.toString());
    assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000, "took too long");
    assertEquals(1, layers.err().strip().lines().count(), layers.err());
    assertTrue(layers.err().contains("--select-layers 99"), layers.err());
    assertTrue(
        run("encode", "--model", MODEL.toString(), dir.resolve("nothing-here").toString())
            .err()
            .contains("nothing-here"));
  }

  @Test
  void benchWithoutTheBenchModuleSaysHowToRunIt() {
    // The product modules hold no harness: the launcher adds the bench module for this command.
    Run r = run("bench", "list");
    assertEquals(Main.USAGE, r.status());
    assertTrue(r.err().contains("./vitrail bench"), r.err());
    Run help = run("--help");
    assertEquals(0, help.status());
    for (String cmd : List.of("encode", "serve", "video", "bench")) {
      assertTrue(help.out().contains(cmd), help.out());
    }
  }
}
