package dev.vitrail.config.settings;

/** A runtime setting is missing, of the wrong type, or out of range; the message names the key. */
public final class InvalidSettingsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error about {@code key} (full path), what was expected and what was found. */
  public InvalidSettingsException(String key, String expected, Object found) {
    super("setting " + key + ": expected " + expected + ", found " + found);
  }

  /** An error wrapping the config library's own message. */
  public InvalidSettingsException(String message, Throwable cause) {
    super(message, cause);
  }
}
