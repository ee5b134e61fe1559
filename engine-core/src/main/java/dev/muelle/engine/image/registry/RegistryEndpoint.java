package dev.muelle.engine.image.registry;

import dev.muelle.engine.errors.EngineException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * How one registry host is reached: the base URLs to try, in order ({@code https://h/v2/}, then
 * {@code http://h/v2/} for an insecure registry), and the HTTP client whose TLS settings go with
 * them (system CAs plus the registry's own CA files, or no verification for an insecure
 * registry). Made by {@link RegistryHosts#endpoint}.
 */
public final class RegistryEndpoint {

    private final String host;
    private final List<URI> bases;
    private final boolean insecure;
    private final HttpClient http;

    private RegistryEndpoint(String host, List<URI> bases, boolean insecure, SSLContext tls) {
        this.host = host;
        this.bases = bases;
        this.insecure = insecure;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // HTTP/2 streams share one socket: parallel blobs go slower
                .connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NEVER) // followed by hand: credentials stay with the registry
                .sslContext(tls)
                .build();
    }

    static RegistryEndpoint verified(String host, String apiHost, List<Path> caFiles) {
        return new RegistryEndpoint(host, List.of(URI.create("https://" + apiHost + "/v2/")), false, trusting(caFiles));
    }

    static RegistryEndpoint insecure(String host, String apiHost) {
        return new RegistryEndpoint(host, List.of(URI.create("https://" + apiHost + "/v2/"),
                URI.create("http://" + apiHost + "/v2/")), true, trustingAnything());
    }

    /** The registry as references name it ({@code 127.0.0.1:5000}, {@code docker.io}). */
    public String host() {
        return host;
    }

    /** The {@code /v2/} URLs to try, preferred first. */
    public List<URI> bases() {
        return bases;
    }

    public boolean insecure() {
        return insecure;
    }

    HttpClient http() {
        return http;
    }

    private static SSLContext trusting(List<Path> caFiles) {
        try {
            if (caFiles.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate system : systemTrustManager().getAcceptedIssuers()) {
                store.setCertificateEntry("system-" + n++, system);
            }
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (Path ca : caFiles) {
                try (InputStream in = Files.newInputStream(ca)) {
                    for (Certificate c : x509.generateCertificates(in)) {
                        store.setCertificateEntry("registry-" + n++, c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new EngineException.SystemError("cannot load registry CA certificates " + caFiles + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager systemTrustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /**
     * dockerd's InsecureSkipVerify: any certificate, any name. An extended trust manager that
     * checks nothing also skips the JDK's host name check, which lives in the trust manager.
     */
    private static SSLContext trustingAnything() {
        X509ExtendedTrustManager any = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
            @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {any}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has TLS", e);
        }
    }
}
