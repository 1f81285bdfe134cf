package dev.vitrail.encoders.tensor;

import java.util.List;

/**
 * Where the workers run and why, as one log line says it.
 *
 * @param devices one device per worker ({@code cpu} or {@code cuda:N})
 * @param reason why these devices, for the log
 */
public record DevicePlan(List<String> devices, String reason) {
  public DevicePlan {
    devices = List.copyOf(devices);
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("a plan needs at least one device");
    }
  }
}
