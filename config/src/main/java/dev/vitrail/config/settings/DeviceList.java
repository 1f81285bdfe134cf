package dev.vitrail.config.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code vitrail.workers.devices}: the word {@code auto}, the word {@code cpu}, a HOCON list
 * ({@code ["cuda:0", "cuda:2"]}) or the same list as one comma-separated string ({@code
 * -Dvitrail.workers.devices=cuda:0,cuda:2}).
 */
final class DeviceList {
  /** What {@link #read} returns for {@code auto}. */
  static final List<String> AUTO = List.of("auto");

  private DeviceList() {}

  /**
   * The devices named at {@code key}: {@link #AUTO}, or validated {@code cpu} / {@code cuda:N}
   * entries (empty when the list is empty).
   */
  static List<String> read(Config config, String key) {
    List<String> raw;
    try {
      if (config.getValue(key).valueType() == ConfigValueType.LIST) {
        raw = config.getStringList(key);
      } else {
        String text = config.getString(key).trim();
        if (text.equals("auto")) {
          return AUTO;
        }
        raw = text.isEmpty() ? List.of() : List.of(text.split(","));
      }
    } catch (ConfigException.Missing e) {
      throw new InvalidSettingsException("setting " + key + " is missing", e);
    } catch (ConfigException e) {
      throw new InvalidSettingsException("setting " + key + ": " + e.getMessage(), e);
    }
    List<String> devices = new ArrayList<>();
    for (String entry : raw) {
      String d = entry.trim();
      if (!(d.equals("cpu") || d.matches("cuda:\\d+"))) {
        throw new InvalidSettingsException(
            key, "auto, or a list of 'cpu' / 'cuda:N' entries", "'" + d + "'");
      }
      devices.add(d);
    }
    return List.copyOf(devices);
  }
}
