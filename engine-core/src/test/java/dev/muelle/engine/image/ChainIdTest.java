package dev.muelle.engine.image;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChainIdTest {

    @Test
    void baseLayerChainIdIsItsDiffId() {
        Digest d0 = Digest.of("layer0");
        assertThat(ChainId.of(List.of(d0))).containsExactly(d0);
    }

    @Test
    void upperChainIdsHashParentAndDiffIdWithASpace() {
        Digest d0 = Digest.of("layer0");
        Digest d1 = Digest.of("layer1");
        Digest d2 = Digest.of("layer2");
        Digest c1 = Digest.of(d0 + " " + d1);
        Digest c2 = Digest.of(c1 + " " + d2);
        assertThat(ChainId.of(List.of(d0, d1, d2))).containsExactly(d0, c1, c2);
        assertThat(ChainId.of(List.of())).isEmpty();
    }

    @Test
    void matchesAnIndependentlyComputedValue() {
        // printf 'sha256:aaa…a sha256:bbb…b' | sha256sum
        Digest a = new Digest("a".repeat(64));
        Digest b = new Digest("b".repeat(64));
        assertThat(ChainId.next(a, b).hex()).isEqualTo("ccd722928bd92476ba1745586fed6e45a102504185ad88cd89e01ff116fd146c");
    }
}
