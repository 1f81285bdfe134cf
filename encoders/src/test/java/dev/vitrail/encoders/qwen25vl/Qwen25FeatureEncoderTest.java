package dev.vitrail.encoders.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.Qwen25VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.Parity;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fixture's entries as separate inputs through {@link FeatureEncoders#open}. */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class Qwen25FeatureEncoderTest {
  private static final Path DIR = Fixtures.file("models/qwen2_5_vl-tiny");

  private static FeatureEncoder open() {
    SingleThreads.apply();
    return FeatureEncoders.open(DIR, EncoderOptions.cpu());
  }

  /** Checks each output against its rows of {@code expected} ({@code [rows, width]}). */
  private static void assertRows(String name, float[] expected, List<FeatureOutput> outs) {
    int at = 0;
    for (int i = 0; i < outs.size(); i++) {
      FeatureOutput o = outs.get(i);
      int n = o.values().length;
      float[] mine = Arrays.copyOfRange(expected, at, at + n);
      Parity.assertClose(name + " of input " + i, mine, o.values());
      at += n;
    }
    assertEquals(expected.length, at, name + ": rows covered");
  }

  @Test
  void defaultFeaturesAreTheMergedEmbeddingsPerInput() {
    try (FeatureEncoder enc = open();
        IoTensors io = IoTensors.open(DIR.resolve("io.safetensors"))) {
      List<PixelInput> in = io.inputs();
      List<FeatureOutput> outs = enc.encode(in, FeatureSpec.defaults());
      assertEquals("qwen2_5_vl", enc.family());
      assertEquals(in.size(), outs.size());
      int m = ((Qwen25VisionConfig) HfConfigs.read(DIR)).spatialMergeSize();
      int unit = m * m;
      int width = (int) io.shape("image_embeds")[1];
      for (int i = 0; i < in.size(); i++) {
        assertArrayEquals(new int[] {in.get(i).shape()[0] / unit, width}, outs.get(i).shape());
      }
      assertRows("image_embeds", io.floats("image_embeds"), outs);
    }
  }

  @Test
  void selectedLayersAreHiddenStatesInProcessorOrder() {
    try (FeatureEncoder enc = open();
        IoTensors io = IoTensors.open(DIR.resolve("io.safetensors"))) {
      List<PixelInput> in = io.inputs();
      assertRows(
          "last_hidden_state",
          io.floats("last_hidden_state"),
          enc.encode(in, new FeatureSpec(List.of(-1), "full", true, false)));
      assertRows(
          "hidden_states.0",
          io.floats("hidden_states.0"),
          enc.encode(in, new FeatureSpec(List.of(0), null, false, false)));
    }
  }

  @Test
  void refusesClassTokenStrategiesAndFixedSizeInputs() {
    try (FeatureEncoder enc = open();
        IoTensors io = IoTensors.open(DIR.resolve("io.safetensors"))) {
      List<PixelInput> in = io.inputs();
      FeatureSpec cls = new FeatureSpec(List.of(-1), "class", false, false);
      assertThrows(IllegalArgumentException.class, () -> enc.encode(in, cls));
      PixelInput image = new PixelInput(new float[3 * 28 * 28], new int[] {3, 28, 28}, null);
      assertThrows(
          IllegalArgumentException.class, () -> enc.encode(List.of(image), FeatureSpec.defaults()));
    }
  }
}
