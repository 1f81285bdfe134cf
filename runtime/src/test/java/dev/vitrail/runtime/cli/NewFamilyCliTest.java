package dev.vitrail.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.vitrail.runtime.safetensors.SafetensorsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vitrail encode} on a new family (the Qwen3-VL tiny checkpoint, picked by its model_type):
 * images of different sizes through two workers equal the processor plus a direct tower call.
 */
@ExtendWith(LogCapturingExtension.class)
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class NewFamilyCliTest {
  private static final Path TINY = Fixtures.root().resolve("models/qwen3_vl-tiny");
  @TempDir Path dir;

  @Test
  void encodeServesQwen3Vl() throws Exception {
    // The tiny checkpoint with small pixel bounds, so that images stay a few dozen patches.
    Path model = Files.createDirectories(dir.resolve("model"));
    for (String f : List.of("config.json", "model.safetensors")) {
      Files.copy(TINY.resolve(f), model.resolve(f));
    }
    Files.writeString(
        model.resolve("preprocessor_config.json"),
        "{\"size\": {\"shortest_edge\": 1024, \"longest_edge\": 8192}}");
    Path images = Files.createDirectories(dir.resolve("images"));
    Files.write(images.resolve("a.png"), TestImages.png(40, 24, 1));
    Files.write(images.resolve("b.png"), TestImages.png(64, 48, 2));
    Path out = dir.resolve("features.safetensors");
    MainTest.Run r =
        MainTest.run(
            "encode",
            "--model",
            model.toString(),
            "--workers",
            "2",
            "--out",
            out.toString(),
            images.toString());
    assertEquals(0, r.status(), r.err());
    Map<String, FeatureOutput> got = SafetensorsFiles.read(out);
    assertEquals(List.of("a.png", "b.png"), List.copyOf(got.keySet()));
    ImageProcessor processor = ImageProcessors.forModel(model);
    try (FeatureEncoder tower = FeatureEncoders.open(model, EncoderOptions.cpu())) {
      assertEquals("qwen3_vl", tower.family());
      for (String name : got.keySet()) {
        FeatureOutput want =
            tower
                .encode(
                    List.of(processor.process(Files.readAllBytes(images.resolve(name)))),
                    FeatureSpec.defaults())
                .get(0);
        assertArrayEquals(want.shape(), got.get(name).shape());
        double worst = 0;
        for (int i = 0; i < want.values().length; i++) {
          worst = Math.max(worst, Math.abs(want.values()[i] - got.get(name).values()[i]));
        }
        assertTrue(worst <= 1e-5, name + ": max abs difference " + worst);
      }
    }
  }
}
