package dev.vitrail.encoders.tower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.weights.Checkpoint;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The explicit MATH attention backend and the BF16 compute dtype against the default F32 SDPA run.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class EncoderOptionsTest {
  @ParameterizedTest
  @ValueSource(strings = {"clip-tiny", "siglip-tiny"})
  void mathBackendAndBf16AgreeWithTheDefault(String model) {
    Path dir = Fixtures.file("models/" + model);
    List<PixelInput> images = images(dir);
    List<FeatureOutput> reference = encode(dir, EncoderOptions.cpu(), images);
    List<FeatureOutput> math = encode(dir, new EncoderOptions("cpu", "f32", "math"), images);
    List<FeatureOutput> bf16 = encode(dir, new EncoderOptions("cpu", "bf16", null), images);
    for (int b = 0; b < images.size(); b++) {
      float[] r = reference.get(b).values();
      float[] m = math.get(b).values();
      for (int i = 0; i < r.length; i++) {
        assertEquals(r[i], m[i], 1e-4, "MATH backend, image " + b + " value " + i);
      }
      double cos = cosine(r, bf16.get(b).values());
      assertTrue(cos > 0.99, "bf16 cosine " + cos);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"flash_attn", "no_such_backend"})
  void unrunnableOrUnknownBackendsAreRejectedAtOpen(String backend) {
    Path dir = Fixtures.file("models/clip-tiny");
    assertThrows(
        IllegalArgumentException.class,
        () -> FeatureEncoders.open(dir, new EncoderOptions("cpu", "f32", backend)).close());
  }

  private static List<FeatureOutput> encode(Path dir, EncoderOptions options, List<PixelInput> in) {
    try (FeatureEncoder encoder = FeatureEncoders.open(dir, options)) {
      return encoder.encode(in, FeatureSpec.defaults());
    }
  }

  private static List<PixelInput> images(Path dir) {
    try (Checkpoint io = Checkpoint.open(dir.resolve("io.safetensors"));
        PointerScope scope = new PointerScope()) {
      return FeatureEncoderTest.images(io.view("pixel_values"));
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
