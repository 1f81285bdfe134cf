package dev.vitrail.bench.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.tensor.NativeTorch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long loop of forwards keeps resident memory flat: no tensor outlives its call. */
class NativeMemoryTest {
  private static final String CONFIG =
      "{\"model_type\":\"clip_vision_model\",\"hidden_size\":32,"
          + "\"intermediate_size\":64,\"num_hidden_layers\":2,\"num_attention_heads\":4,"
          + "\"image_size\":224,\"patch_size\":16,\"hidden_act\":\"quick_gelu\"}";

  @TempDir Path tmp;

  /** Resident bytes minus the committed Java heap. */
  private static long nativeResident() {
    System.gc();
    return Pointer.physicalBytes() - Runtime.getRuntime().totalMemory();
  }

  @Test
  void residentMemoryStaysFlatOverManyForwards() {
    NativeTorch.configureThreads(1, 1);
    RandomCheckpoint.write(tmp, CONFIG, HfConfigs.parse(CONFIG), 7);
    List<PixelInput> batch = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      batch.add(new PixelInput(new float[3 * 224 * 224], new int[] {3, 224, 224}, null));
    }
    // all hidden states kept and concatenated (the heaviest path through the tower), but only the
    // class token comes back to the heap, so that Java heap growth does not blur the figure
    FeatureSpec spec = new FeatureSpec(List.of(0, 1, -1), "class", true, false);
    try (FeatureEncoder encoder = FeatureEncoders.open(tmp, EncoderOptions.cpu())) {
      for (int i = 0; i < 20; i++) {
        encoder.encode(batch, spec);
      }
      long before = nativeResident();
      for (int i = 0; i < 150; i++) {
        List<FeatureOutput> out = encoder.encode(batch, spec);
        assertEquals(8, out.size());
      }
      long grown = nativeResident() - before;
      // one leaked [8, 197, 32] float tensor per call alone would add 30 MB
      assertTrue(
          grown < 12L << 20, "resident memory grew by " + (grown >> 20) + " MB over 150 calls");
    }
  }
}
