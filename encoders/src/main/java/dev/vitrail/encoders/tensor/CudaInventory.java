package dev.vitrail.encoders.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.pytorch.global.torch;

/**
 * What this process can see of CUDA: whether the loaded libtorch has CUDA kernels, which devices
 * are visible, and, when there are none, why.
 *
 * @param natives whether libtorch was built with CUDA (the {@code -Pgpu} natives) and found a
 *     driver
 * @param devices the visible devices, in libtorch index order
 * @param note why no device is used, or what could not be queried (empty when all is well)
 */
public record CudaInventory(boolean natives, List<CudaDevice> devices, String note) {
  private static volatile CudaInventory probed;

  public CudaInventory {
    devices = List.copyOf(devices);
  }

  /** No CUDA at all, with the reason. */
  public static CudaInventory none(String note) {
    return new CudaInventory(false, List.of(), note);
  }

  /**
   * Asks libtorch ({@code torch::cuda::is_available}, {@code device_count}) and, for each device,
   * the CUDA runtime ({@code cudaGetDeviceProperties} through the CUDA presets, loaded reflectively
   * so the default CPU build needs none of them). Probed once per process.
   */
  public static CudaInventory probe() {
    CudaInventory known = probed;
    if (known != null) {
      return known;
    }
    synchronized (CudaInventory.class) {
      if (probed == null) {
        probed = ask();
      }
      return probed;
    }
  }

  private static CudaInventory ask() {
    NativeTorch.load();
    boolean cudaBuild = NativeTorch.cudaNatives();
    if (!torch.cuda_is_available()) {
      return none(
          cudaBuild
              ? "the CUDA libtorch natives are present but libtorch sees no CUDA device"
                  + " (no driver, or CUDA_VISIBLE_DEVICES hides them)"
              : "the libtorch natives are the CPU build (build with -Pgpu for CUDA)");
    }
    int count = torch.cuda_device_count();
    List<CudaDevice> devices = new ArrayList<>();
    String note = "";
    for (int i = 0; i < count; i++) {
      Optional<CudaDevice> d = CudaProperties.query(i);
      if (d.isEmpty()) {
        note = "device properties unavailable: " + CudaProperties.failure();
      }
      devices.add(d.orElse(new CudaDevice(i, "unknown", 0, 0)));
    }
    return new CudaInventory(true, devices, note);
  }

  /** The device at {@code index}, if visible. */
  public Optional<CudaDevice> device(int index) {
    return devices.stream().filter(d -> d.index() == index).findFirst();
  }
}
