package dev.muelle.desktop.it;

import dev.muelle.desktop.engine.NetworkSummary;
import dev.muelle.desktop.shell.MainView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Networks against a real engine: create with a subnet, connect a running container, refuse to delete while in use. */
class NetworksIT {

    private static TestEngine engine;
    private static DesktopHarness desktop;

    @BeforeAll
    static void start() throws Exception {
        engine = TestEngine.start();
        engine.docker("run", "-d", "--name", "app", "busybox", "sleep", "100000").assertOk();
        desktop = DesktopHarness.start(engine);
    }

    @AfterAll
    static void stop() throws Exception {
        DesktopHarness.closeAll(desktop, engine);
    }

    private static NetworkSummary network(String name) {
        return desktop.onFx(() -> desktop.app().networksModel().items().stream().filter(n -> n.name().equals(name))
                .findFirst().orElse(null));
    }

    @Test
    void createConnectAndRefuseToDeleteInUse() {
        desktop.runFx(() -> desktop.app().mainView().show(MainView.Page.NETWORKS));
        desktop.waitFor("the networks page", Duration.ofSeconds(20), () -> desktop.app().networksModel() != null);
        desktop.runFx(() -> desktop.app().networksModel().create("backend", "172.30.5.0/24", "172.30.5.1", false));
        desktop.waitFor("backend listed", Duration.ofSeconds(20), () -> network("backend") != null);
        assertThat(network("backend").subnet()).isEqualTo("172.30.5.0/24");
        desktop.runFx(() -> desktop.app().networksModel().connect(network("backend"), "app"));
        desktop.waitFor("app on backend with an address", Duration.ofSeconds(30), () -> {
            desktop.app().networksModel().refresh();
            NetworkSummary n = network("backend");
            return n != null && n.containers().stream().anyMatch(e -> e.containerName().equals("app")
                    && e.address().startsWith("172.30.5."));
        });
        desktop.runFx(() -> desktop.app().networksView().select("backend"));
        desktop.screenshotBothThemes("networks");
        desktop.runFx(() -> desktop.app().networksModel().delete(network("backend")));
        desktop.waitFor("the explanation", Duration.ofSeconds(20),
                () -> desktop.app().networksModel().messageProperty().get().contains("can't be deleted while containers are connected"));
        assertThat(desktop.onFx(() -> desktop.app().networksModel().messageProperty().get())).contains("app");
        assertThat(engine.docker("network", "inspect", "backend").ok()).isTrue();
    }

    @Test
    void disconnectThenDeleteAndCreateAnInternalNetwork() {
        desktop.runFx(() -> desktop.app().mainView().show(MainView.Page.NETWORKS));
        desktop.waitFor("the networks page", Duration.ofSeconds(20), () -> desktop.app().networksModel() != null);
        desktop.runFx(() -> desktop.app().networksModel().create("frontend", "172.30.6.0/24", "172.30.6.1", false));
        desktop.waitFor("frontend listed", Duration.ofSeconds(20), () -> network("frontend") != null);
        desktop.runFx(() -> desktop.app().networksModel().connect(network("frontend"), "app"));
        desktop.waitFor("app on frontend", Duration.ofSeconds(30), () -> {
            desktop.app().networksModel().refresh();
            NetworkSummary n = network("frontend");
            return n != null && n.containers().stream().anyMatch(e -> e.containerName().equals("app"));
        });
        NetworkSummary.Endpoint app = network("frontend").containers().stream()
                .filter(e -> e.containerName().equals("app")).findFirst().orElseThrow();
        desktop.runFx(() -> desktop.app().networksModel().disconnect(network("frontend"), app));
        desktop.waitFor("app off frontend", Duration.ofSeconds(30), () -> {
            desktop.app().networksModel().refresh();
            NetworkSummary n = network("frontend");
            return n != null && n.containers().isEmpty();
        });
        assertThat(engine.docker("inspect", "-f", "{{json .NetworkSettings.Networks}}", "app").assertOk().stdout())
                .doesNotContain("frontend");
        desktop.runFx(() -> desktop.app().networksModel().delete(network("frontend")));
        desktop.waitFor("frontend gone", Duration.ofSeconds(20), () -> {
            desktop.app().networksModel().refresh();
            return network("frontend") == null;
        });
        assertThat(engine.docker("network", "inspect", "frontend").ok()).isFalse();

        desktop.runFx(() -> desktop.app().networksModel().create("sealed", "172.30.7.0/24", "", true));
        desktop.waitFor("sealed listed", Duration.ofSeconds(20), () -> network("sealed") != null);
        assertThat(network("sealed").internal()).isTrue();
        assertThat(engine.docker("network", "inspect", "-f", "{{.Internal}}", "sealed").assertOk().stdout().strip()).isEqualTo("true");
    }
}
