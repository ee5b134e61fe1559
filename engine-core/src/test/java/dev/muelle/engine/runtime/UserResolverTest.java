package dev.muelle.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.runtime.UserResolver.ExecUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {

    @TempDir
    Path rootfs;

    private UserResolver resolver;

    @BeforeEach
    void writeAccounts() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
                app:x:1000:1000::/home/app:/bin/sh
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                www-data:x:33:
                audio:x:29:app
                video:x:44:www-data,app
                app:x:1000:
                """);
        resolver = new UserResolver(rootfs);
    }

    @Test
    void emptySpecIsRoot() {
        assertThat(resolver.resolve("", List.of())).isEqualTo(new ExecUser(0, 0, List.of(0), "/root"));
    }

    @Test
    void nameGetsItsPrimaryGroupAndTheGroupsListingIt() {
        assertThat(resolver.resolve("app", List.of())).isEqualTo(new ExecUser(1000, 1000, List.of(1000, 29, 44), "/home/app"));
    }

    @Test
    void numericUidUsesTheMatchingEntryOrNeedsNone() {
        assertThat(resolver.resolve("33", List.of())).isEqualTo(new ExecUser(33, 33, List.of(33, 44), "/var/www"));
        assertThat(resolver.resolve("4242", List.of())).isEqualTo(new ExecUser(4242, 0, List.of(0), "/"));
    }

    @Test
    void explicitGroupReplacesPrimaryGidAndDropsImplicitGroups() {
        assertThat(resolver.resolve("app:video", List.of())).isEqualTo(new ExecUser(1000, 44, List.of(44), "/home/app"));
        assertThat(resolver.resolve("4242:4343", List.of())).isEqualTo(new ExecUser(4242, 4343, List.of(4343), "/"));
    }

    @Test
    void groupAddTakesNamesAndNumbers() {
        assertThat(resolver.resolve("www-data", List.of("audio", "5000")).additionalGids()).containsExactly(33, 44, 29, 5000);
    }

    @Test
    void unknownNamesFailWithDockersWording() {
        assertThatThrownBy(() -> resolver.resolve("nobody", List.of()))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("unable to find user nobody: no matching entries in passwd file");
        assertThatThrownBy(() -> resolver.resolve("app:wheel", List.of()))
                .hasMessage("unable to find group wheel: no matching entries in group file");
        assertThatThrownBy(() -> resolver.resolve("app", List.of("wheel")))
                .hasMessage("Unable to find group wheel: no matching entries in group file");
    }

    @Test
    void withoutPasswdFileOnlyNumericUsersWork(@TempDir Path empty) {
        UserResolver bare = new UserResolver(empty);
        assertThat(bare.resolve("1000:1000", List.of())).isEqualTo(new ExecUser(1000, 1000, List.of(1000), "/"));
        assertThatThrownBy(() -> bare.resolve("app", List.of()))
                .hasMessage("unable to find user app: no matching entries in passwd file");
    }

    @Test
    void absoluteSymlinksResolveInsideTheRootfs() throws Exception {
        Files.createDirectories(rootfs.resolve("usr/lib"));
        Files.move(rootfs.resolve("etc/passwd"), rootfs.resolve("usr/lib/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/usr/lib/passwd"));
        assertThat(resolver.resolve("app", List.of()).uid()).isEqualTo(1000);
    }

    @Test
    void idsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> resolver.resolve("99999999999", List.of()))
                .hasMessage("uids and gids must be in range 0-2147483647");
    }
}
