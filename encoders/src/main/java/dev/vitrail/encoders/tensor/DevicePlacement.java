package dev.vitrail.encoders.tensor;

import dev.vitrail.config.settings.InvalidSettingsException;
import dev.vitrail.config.settings.RuntimeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@code vitrail.workers.devices}: {@code auto} becomes one worker per visible CUDA
 * device, or the configured CPU workers when there is none; explicit {@code cuda:N} entries are
 * checked against what is visible. {@link #plan} is pure (the CUDA inventory is passed in); {@link
 * #place} probes the process and logs one line saying which devices and why.
 */
public final class DevicePlacement {
  private static final Logger LOG = LoggerFactory.getLogger(DevicePlacement.class);

  private DevicePlacement() {}

  /**
   * The devices for the workers.
   *
   * @param auto whether {@code devices = auto}
   * @param configured the configured devices (for {@code auto}: the CPU fallback, one per worker)
   * @param cuda what the process sees of CUDA
   * @throws InvalidSettingsException when an explicit {@code cuda:N} is not visible
   */
  public static DevicePlan plan(boolean auto, List<String> configured, CudaInventory cuda) {
    if (auto) {
      if (cuda.devices().isEmpty()) {
        return new DevicePlan(
            configured,
            "devices = auto: "
                + configured.size()
                + " CPU worker(s), no CUDA device: "
                + cuda.note());
      }
      List<String> devices = cuda.devices().stream().map(CudaDevice::device).toList();
      return new DevicePlan(
          devices,
          "devices = auto: one worker per CUDA device, "
              + describe(cuda.devices())
              + (cuda.note().isEmpty() ? "" : " (" + cuda.note() + ")"));
    }
    List<String> missing = new ArrayList<>();
    List<CudaDevice> used = new ArrayList<>();
    for (String d : configured) {
      if (d.startsWith("cuda:")) {
        int index = Integer.parseInt(d.substring("cuda:".length()));
        cuda.device(index).ifPresentOrElse(used::add, () -> missing.add(d));
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidSettingsException(
          "vitrail.workers.devices",
          "visible CUDA devices ("
              + (cuda.devices().isEmpty() ? "none: " + cuda.note() : describe(cuda.devices()))
              + ")",
          missing);
    }
    return new DevicePlan(
        configured,
        "devices = "
            + configured
            + (used.isEmpty() ? " (configured)" : " (configured): " + describe(used)));
  }

  /**
   * {@code settings} with its workers placed: probes CUDA (loading libtorch) when {@code auto} or a
   * {@code cuda:N} entry needs it, logs the plan once, and returns settings whose {@code devices}
   * are final. Settings already placed are returned as they are.
   */
  public static RuntimeSettings place(RuntimeSettings settings) {
    boolean needsCuda =
        settings.autoDevices() || settings.devices().stream().anyMatch(d -> d.startsWith("cuda:"));
    if (!needsCuda) {
      return settings;
    }
    DevicePlan plan = plan(settings.autoDevices(), settings.devices(), CudaInventory.probe());
    LOG.info("workers: {}", plan.reason());
    return settings.autoDevices() ? settings.withDevices(plan.devices()) : settings;
  }

  private static String describe(List<CudaDevice> devices) {
    return devices.stream().map(CudaDevice::describe).collect(Collectors.joining(", "));
  }
}
