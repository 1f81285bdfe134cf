package dev.vitrail.runtime.cli;

/** A usage error the user can fix (missing path, bad option value); exits with status 2. */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error naming what is wrong. */
  public CliException(String message) {
    super(message);
  }
}
