package dev.vitrail.runtime.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A key pair for a local TLS origin, made once per test JVM by the JDK's {@code keytool}: a
 * self-signed EC certificate for {@code tls.test} and {@code 127.0.0.1} ({@link #SERVER}), and a
 * trust store holding only that certificate ({@link #TRUST}), both PKCS12 with password {@link
 * #PASSWORD}.
 */
public final class TestTls {
  /** The stores' password. */
  public static final String PASSWORD = "vitrail-test";

  /** The origin's key store. */
  public static final Path SERVER;

  /** A trust store with the origin's certificate only. */
  public static final Path TRUST;

  static {
    try {
      Path dir = Files.createTempDirectory("vitrail-tls");
      dir.toFile().deleteOnExit();
      SERVER = dir.resolve("server.p12");
      TRUST = dir.resolve("trust.p12");
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-alias",
                  "origin",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=tls.test",
                  "-ext",
                  "SAN=dns:tls.test,ip:127.0.0.1",
                  "-validity",
                  "2",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  SERVER.toString(),
                  "-storepass",
                  PASSWORD,
                  "-keypass",
                  PASSWORD)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool failed to make the test key pair");
      }
      KeyStore server = KeyStore.getInstance(SERVER.toFile(), PASSWORD.toCharArray());
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("origin", server.getCertificate("origin"));
      try (OutputStream out = Files.newOutputStream(TRUST)) {
        trust.store(out, PASSWORD.toCharArray());
      }
      SERVER.toFile().deleteOnExit();
      TRUST.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private TestTls() {}

  /** A server context presenting the origin's certificate. */
  public static SSLContext serverContext() {
    try {
      KeyStore server = KeyStore.getInstance(SERVER.toFile(), PASSWORD.toCharArray());
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(server, PASSWORD.toCharArray());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
