package dev.vitrail.encoders.kimi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitrail.config.hf.HfConfigs;
import dev.vitrail.config.hf.KimiK25VisionConfig;
import dev.vitrail.encoders.FeatureEncoders;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.api.FeatureEncoder;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import dev.vitrail.encoders.golden.Fixtures;
import dev.vitrail.encoders.golden.IoFile;
import dev.vitrail.encoders.golden.Parity;
import dev.vitrail.encoders.sharding.DpSharding;
import dev.vitrail.encoders.sharding.MropeShardedRun;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.HostTensors;
import dev.vitrail.encoders.tensor.NativeTorch;
import dev.vitrail.encoders.weights.Checkpoint;
import dev.vitrail.encoders.weights.WeightMap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * MoonViT through its {@link FeatureEncoder} (chosen by {@code model_type} kimi_k25) and through
 * vLLM's rope_2d DP layout with {@code [t, h, w]} entries: images and video chunks mixed, sharded
 * over 1..3 ranks, equal the fixture's {@code pooler_output} rows.
 */
@Tag(Fixtures.TAG) // also run on the second fixture set (tools/fixtures/alt)
class KimiShardingTest {
  private static final String DIR = "models/kimi_k25-tiny";

  @BeforeAll
  static void load() {
    NativeTorch.load();
    torch.set_num_threads(1);
  }

  /** The entries of both io files, one patch-row input each, and their expected merged rows. */
  private static void entries(List<PixelInput> inputs, List<float[]> expected, int width) {
    for (String file : List.of("io.safetensors", "io-video.safetensors")) {
      try (IoFile io = IoFile.open(DIR + "/" + file)) {
        float[] pixels = io.floats("pixel_values");
        float[] pooled = io.floats("pooler_output");
        long[] pooledShape = io.shape("pooler_output");
        int merged = (int) (pooledShape[1] * pooledShape[2]);
        int at = 0;
        int row = 0;
        for (int[] g : KimiTowerParityTest.grids(io)) {
          int rows = g[0] * g[1] * g[2];
          int out = g[1] * g[2] / (int) pooledShape[1];
          inputs.add(
              new PixelInput(
                  Arrays.copyOfRange(pixels, at * width, (at + rows) * width),
                  new int[] {rows, width},
                  g));
          expected.add(Arrays.copyOfRange(pooled, row * merged, (row + out) * merged));
          at += rows;
          row += out;
        }
      }
    }
  }

  @Test
  void featureEncoderAndShardedRunsMatchTransformers() {
    Path dir = Fixtures.file(DIR);
    KimiK25VisionConfig config = (KimiK25VisionConfig) HfConfigs.read(dir);
    int width = 3 * config.patchSize() * config.patchSize();
    List<PixelInput> inputs = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    entries(inputs, expected, width);
    try (FeatureEncoder enc = FeatureEncoders.open(dir, EncoderOptions.cpu())) {
      assertEquals("kimi_k25", enc.family());
      List<FeatureOutput> out = enc.encode(inputs, FeatureSpec.defaults());
      for (int i = 0; i < inputs.size(); i++) {
        int[] g = inputs.get(i).gridThw();
        assertArrayEquals(
            new int[] {
              g[1] * g[2] / config.mergeFactor(), config.mergeFactor(), config.hiddenSize()
            },
            out.get(i).shape());
        Parity.assertClose("encoder entry " + i, expected.get(i), out.get(i).values());
      }
    }
    try (Checkpoint ck = Checkpoint.open(dir);
        KimiVisionTower tower =
            KimiVisionTower.create(
                config, WeightMap.bind(ck, ComputeTarget.cpuFloat(), KimiVisionTower.PREFIXES));
        PointerScope scope = new PointerScope()) {
      List<long[]> grids = new ArrayList<>();
      float[] all = new float[inputs.stream().mapToInt(p -> p.values().length).sum()];
      int at = 0;
      for (PixelInput p : inputs) {
        grids.add(Arrays.stream(p.gridThw()).asLongStream().toArray());
        System.arraycopy(p.values(), 0, all, at, p.values().length);
        at += p.values().length;
      }
      Tensor pixels = HostTensors.upload(all, all.length / width, width);
      for (int world = 1; world <= 3; world++) {
        MropeShardedRun run =
            DpSharding.runRope2d(
                (x, gridTensor) -> run(tower, x, gridTensor),
                config.mergeKernel(),
                config.hiddenSize(),
                pixels,
                grids,
                world);
        for (int i = 0; i < inputs.size(); i++) {
          Parity.assertClose(
              "world " + world + " entry " + i,
              expected.get(i),
              HostTensors.download(run.outputs().get(i)));
        }
      }
    }
  }

  /** The tower as vLLM's rope_2d model: per entry {@code [h·w/4, 4, D]}. */
  private static List<Tensor> run(KimiVisionTower tower, Tensor pixels, Tensor gridTensor) {
    long[] g = new long[(int) gridTensor.numel()];
    gridTensor.contiguous().data_ptr_long().get(g);
    List<int[]> grids = new ArrayList<>();
    for (int i = 0; i < g.length / 3; i++) {
      grids.add(new int[] {(int) g[3 * i], (int) g[3 * i + 1], (int) g[3 * i + 2]});
    }
    KimiOutput out = tower.forward(HostTensors.download(pixels), grids, false);
    int factor = tower.config().mergeFactor();
    int d = tower.config().hiddenSize();
    Tensor merged = HostTensors.upload(out.merged(), out.merged().length / (factor * d), factor, d);
    List<Tensor> per = new ArrayList<>();
    long row = 0;
    for (int[] e : grids) {
      long n = (long) e[1] * e[2] / factor;
      per.add(merged.narrow(0, row, n));
      row += n;
    }
    return per;
  }
}
