package dev.vitrail.runtime.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name to its addresses (blocking); the system resolver unless a test swaps it. */
@FunctionalInterface
public interface HostResolver {
  /** Every address of {@code host}. */
  InetAddress[] resolve(String host) throws UnknownHostException;

  /** The JVM's resolver ({@link InetAddress#getAllByName}). */
  static HostResolver system() {
    return InetAddress::getAllByName;
  }
}
