package dev.vitrail.runtime.fetch;

import dev.vitrail.config.settings.InvalidSettingsException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/**
 * The TLS side of https fetches: the JDK's trusted CAs plus, when {@code trust-store} is set, every
 * certificate of that store; each engine verifies the server's certificate against the URL's host
 * (endpoint identification "HTTPS") and sends it as SNI, whatever address the connection is pinned
 * to.
 */
final class FetchTls {
  private FetchTls() {}

  /**
   * The client context of {@code settings}; a trust store that cannot be read is a settings error.
   */
  static HttpsConnectionContext context(FetchSettings settings) {
    SSLContext ssl;
    try {
      ssl = SSLContext.getInstance("TLS");
      ssl.init(null, trustManagers(settings.trustStore(), settings.trustStorePassword()), null);
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      throw new InvalidSettingsException(
          "vitrail.http.fetch.trust-store: cannot read "
              + settings.trustStore()
              + " as a PKCS12 or JKS trust store: "
              + e.getMessage(),
          e);
    }
    return ConnectionContext.httpsClient((host, port) -> engine(ssl, host, port));
  }

  private static SSLEngine engine(SSLContext ssl, String host, int port) {
    SSLEngine engine = ssl.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters p = engine.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(p);
    return engine;
  }

  private static TrustManager[] trustManagers(Path store, String password)
      throws GeneralSecurityException, IOException {
    if (store == null) {
      return null; // the JDK's default trust
    }
    KeyStore extra = KeyStore.getInstance(store.toFile(), password.toCharArray());
    KeyStore both = KeyStore.getInstance("PKCS12");
    both.load(null, null);
    int n = 0;
    for (X509Certificate ca : jdkTrusted().getAcceptedIssuers()) {
      both.setCertificateEntry("jdk-" + n++, ca);
    }
    int added = 0;
    for (String alias : Collections.list(extra.aliases())) {
      Certificate c = extra.getCertificate(alias);
      if (c != null) {
        both.setCertificateEntry("extra-" + added++, c);
      }
    }
    if (added == 0) {
      throw new GeneralSecurityException("it holds no certificate");
    }
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(both);
    return f.getTrustManagers();
  }

  private static X509TrustManager jdkTrusted() throws GeneralSecurityException {
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init((KeyStore) null);
    for (TrustManager t : f.getTrustManagers()) {
      if (t instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("the JDK has no X.509 trust manager");
  }
}
