package dev.muelle.engine.image.registry;

/** A throwaway self-signed CA certificate (no key kept), for tests that only load CA files. */
final class TestCertificate {

    static final String PEM = """
            -----BEGIN CERTIFICATE-----
            MIIBlDCCATmgAwIBAgIUUuWpatTYFfyMmiNbPax7q/6RzBswCgYIKoZIzj0EAwIw
            HjEcMBoGA1UEAwwTbXVlbGxlLXVuaXQtdGVzdC1jYTAgFw0yNjExMjcyMzU2MzVa
            GA8yMTI2MTEwMzIzNTYzNVowHjEcMBoGA1UEAwwTbXVlbGxlLXVuaXQtdGVzdC1j
            YTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABH7ZDFpUHgJuy8ZFzFqAkhWARY2D
            Fe6WDr5wKTH0ekAEf3f3ZZCZMmtW6r9w2prluPZwAqtcImwgYNd8iwRj9dajUzBR
            MB0GA1UdDgQWBBTknT4F8HiryLazM+0hrP1ce5bD+TAfBgNVHSMEGDAWgBTknT4F
            8HiryLazM+0hrP1ce5bD+TAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kA
            MEYCIQCe3UwiykUpPFyUT41UVbsaIBYXQQs3uHZ/9lVs4U1nEwIhANjBdEsxVD8x
            Nab1jrhA+5FjuwrkxXSRF73O6OrYvqq0
            -----END CERTIFICATE-----
            """;

    private TestCertificate() {
    }
}
