package dev.vitrail.bench.runtime;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.RuntimeSettings;
import dev.vitrail.encoders.api.EncoderOptions;
import dev.vitrail.encoders.attention.AttentionBackend;
import dev.vitrail.encoders.tensor.ComputeTarget;
import dev.vitrail.encoders.tensor.CudaDevice;
import dev.vitrail.encoders.tensor.CudaInventory;
import dev.vitrail.encoders.tensor.DevicePlacement;
import dev.vitrail.encoders.tensor.NativeTorch;

/**
 * What this process sees of CUDA, as {@code bench/gpu-check.sh} records it: the natives, every
 * device (name, memory, capability), where {@code devices = auto} places workers, the {@code auto}
 * compute dtype and the attention backend for common head widths.
 */
final class DeviceProbe {
  private DeviceProbe() {}

  static void print(String device) {
    NativeTorch.load();
    CudaInventory cuda = CudaInventory.probe();
    System.out.println("probe cuda_natives=" + NativeTorch.cudaNatives() + " note=" + cuda.note());
    for (CudaDevice d : cuda.devices()) {
      System.out.println("probe device " + d.describe());
    }
    RuntimeSettings placed =
        DevicePlacement.place(
            RuntimeSettings.from(
                ConfigFactory.parseString("vitrail.workers.devices = auto")
                    .withFallback(ConfigFactory.defaultReference())
                    .resolve()));
    System.out.println("probe devices=auto -> " + placed.devices());
    ComputeTarget target = ComputeTarget.of(new EncoderOptions(device, "auto", null));
    StringBuilder backends = new StringBuilder();
    for (int headDim : new int[] {64, 72, 80, 128}) {
      AttentionBackend b = target.attention(headDim);
      backends.append(" head_dim_").append(headDim).append('=').append(b);
    }
    System.out.println(
        "probe device=" + device + " auto_dtype=" + target.dtype() + " attention" + backends);
  }
}
