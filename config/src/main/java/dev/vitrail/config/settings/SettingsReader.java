package dev.vitrail.config.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Reads typed values under one path prefix, turning every problem into a named-key error. */
final class SettingsReader {
  private final Config config;
  private final String prefix;

  SettingsReader(Config config, String prefix) {
    this.config = config;
    this.prefix = prefix;
  }

  private String key(String path) {
    return prefix + "." + path;
  }

  int intAtLeast(String path, int min) {
    int v = wrap(path, () -> config.getInt(key(path)));
    if (v < min) {
      throw new InvalidSettingsException(key(path), "an integer >= " + min, v);
    }
    return v;
  }

  long bytesAtLeast(String path, long min) {
    long v = wrap(path, () -> config.getBytes(key(path)));
    if (v < min) {
      throw new InvalidSettingsException(key(path), "a size >= " + min + " bytes", v);
    }
    return v;
  }

  double doubleIn(String path, double min, double max) {
    double v = wrap(path, () -> config.getDouble(key(path)));
    if (!(v >= min && v <= max)) {
      throw new InvalidSettingsException(key(path), "a number in [" + min + ", " + max + "]", v);
    }
    return v;
  }

  Duration duration(String path, boolean zeroAllowed) {
    Duration d = wrap(path, () -> config.getDuration(key(path)));
    if (d.isNegative() || (!zeroAllowed && d.isZero())) {
      throw new InvalidSettingsException(
          key(path), zeroAllowed ? "a duration >= 0" : "a duration > 0", d);
    }
    return d;
  }

  boolean bool(String path) {
    return wrap(path, () -> config.getBoolean(key(path)));
  }

  String oneOf(String path, List<String> allowed) {
    String v = wrap(path, () -> config.getString(key(path)));
    if (!allowed.contains(v)) {
      throw new InvalidSettingsException(key(path), "one of " + allowed, "'" + v + "'");
    }
    return v;
  }

  List<String> strings(String path) {
    return wrap(path, () -> config.getStringList(key(path)));
  }

  List<Double> doubles(String path) {
    return wrap(path, () -> config.getDoubleList(key(path)));
  }

  private <T> T wrap(String path, Supplier<T> read) {
    try {
      return read.get();
    } catch (ConfigException.Missing e) {
      throw new InvalidSettingsException("setting " + key(path) + " is missing", e);
    } catch (ConfigException e) {
      throw new InvalidSettingsException("setting " + key(path) + ": " + e.getMessage(), e);
    }
  }
}
