package dev.muelle.engine.image;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class NativeSha256Test {

    @Test
    void agreesWithTheJdkForAnySplitOfTheInput() throws Exception {
        byte[] data = new byte[300_001];
        new Random(7).nextBytes(data);
        MessageDigest ours = Digest.sha256();
        assertThat(ours).isInstanceOf(NativeSha256.class); // libcrypto is on every machine this runs on
        int[] steps = {1, 7, 65_536, 100_000, 3};
        int at = 0;
        for (int i = 0; at < data.length; i++) {
            int n = Math.min(steps[i % steps.length], data.length - at);
            if (n == 1) {
                ours.update(data[at]);
            } else {
                ours.update(data, at, n);
            }
            at += n;
        }
        assertThat(ours.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(ours.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(new byte[0])); // reset after digest
    }

    @Test
    void bulkOrUnknownAmountsGoToLibcryptoAndSmallOnesStayInTheJdk() {
        assertThat(Digest.sha256(-1)).isInstanceOf(NativeSha256.class);
        assertThat(Digest.sha256(Digest.BULK_BYTES)).isInstanceOf(NativeSha256.class);
        assertThat(Digest.sha256(Digest.BULK_BYTES - 1)).isNotInstanceOf(NativeSha256.class);
        assertThat(Digest.sha256(0)).isNotInstanceOf(NativeSha256.class);
        assertThat(Digest.of("abc").toString())
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
