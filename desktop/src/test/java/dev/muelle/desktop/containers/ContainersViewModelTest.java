package dev.muelle.desktop.containers;

import dev.muelle.desktop.FakeEngineClient;
import dev.muelle.desktop.SessionFixture;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.PublishedPort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.muelle.desktop.FakeEngineClient.container;
import static org.assertj.core.api.Assertions.assertThat;

class ContainersViewModelTest {

    private final FakeEngineClient client = new FakeEngineClient()
            .with(container("a1", "web", "running", Map.of(), new PublishedPort("0.0.0.0", 80, 8080, "tcp")))
            .with(container("b2", "shop-db", "running", Map.of("com.docker.compose.project", "shop")))
            .with(container("c3", "shop-api", "exited", Map.of("com.docker.compose.project", "shop")))
            .with(container("d4", "idle", "created", Map.of()));
    private final SessionFixture fixture = new SessionFixture(client);
    private final ContainersViewModel model = new ContainersViewModel(fixture.session, fixture.inline.tasks,
            fixture.inline.notifier);

    private ContainerItem item(String name) {
        return model.items().stream().filter(i -> i.summary().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void loadsWhenTheEngineConnectsAndReadsUsageOfRunningContainersOnce() {
        fixture.connect();
        assertThat(model.items()).extracting(i -> i.summary().name()).containsExactly("web", "shop-db", "shop-api", "idle");
        assertThat(model.loadedProperty().get()).isTrue();
        assertThat(client.calls).contains("statsOnce a1", "statsOnce b2").doesNotContain("statsOnce c3");
        assertThat(item("web").usage().cpuPercent()).isEqualTo(12.5);
        assertThat(model.summaryLineProperty().get()).startsWith("4 containers, 2 running").contains("25.0 % CPU", "20.0 MiB");
    }

    @Test
    void groupsByComposeProjectWithLooseContainersLast() {
        fixture.connect();
        var groups = model.groups();
        assertThat(groups.keySet()).containsExactly("shop", null);
        assertThat(groups.get("shop")).extracting(ContainerItem::toString).containsExactly("shop-db", "shop-api");
        assertThat(groups.get(null)).extracting(ContainerItem::toString).containsExactly("web", "idle");
    }

    @Test
    void searchAndStateFilterNarrowTheVisibleRows() {
        fixture.connect();
        model.searchProperty().set("SHOP");
        assertThat(model.visible()).extracting(ContainerItem::toString).containsExactly("shop-db", "shop-api");
        model.filterProperty().set(ContainersViewModel.Filter.RUNNING);
        assertThat(model.visible()).extracting(ContainerItem::toString).containsExactly("shop-db");
        model.searchProperty().set("");
        model.filterProperty().set(ContainersViewModel.Filter.STOPPED);
        assertThat(model.visible()).extracting(ContainerItem::toString).containsExactly("shop-api", "idle");
    }

    @Test
    void containerEventsRefreshTheListAndKeepItemIdentity() {
        fixture.connect();
        ContainerItem web = item("web");
        client.containers.put("e5", container("e5", "from-cli", "running", Map.of()));
        client.containers.remove("d4");
        client.emit("container", "start", "e5");
        assertThat(model.items()).extracting(ContainerItem::toString).contains("from-cli").doesNotContain("idle");
        assertThat(item("web")).isSameAs(web);
        int calls = client.calls.size();
        client.emit("container", "exec_start: sh", "a1");
        assertThat(client.calls).hasSize(calls);
    }

    @Test
    void actionsApplyOnlyWhereTheyMakeSenseAndReportOnce() {
        fixture.connect();
        model.perform(ContainersViewModel.Action.STOP, List.of(item("web"), item("shop-api"), item("shop-db")));
        assertThat(client.calls).contains("stop a1", "stop b2").doesNotContain("stop c3");
        assertThat(fixture.messages()).contains("INFO Stop done: web, shop-db");
        assertThat(item("web").summary().state()).isEqualTo("exited");
        assertThat(item("web").usage()).isNull();
        assertThat(model.busy()).isEmpty();
    }

    @Test
    void failuresAreShownInTheEnginesWords() {
        fixture.connect();
        client.failNext = new EngineException.Conflict("container d4 is not running", null);
        model.perform(ContainersViewModel.Action.DELETE, List.of(item("idle")));
        assertThat(fixture.messages()).contains("ERROR Delete failed: idle: container d4 is not running");
    }

    @Test
    void destructiveActionsAskFirst() {
        fixture.connect();
        assertThat(model.confirmation(ContainersViewModel.Action.DELETE, List.of(item("web"))))
                .startsWith("Delete \"web\"?");
        assertThat(model.confirmation(ContainersViewModel.Action.STOP, List.of(item("web"), item("shop-db"))))
                .startsWith("Stop 2 containers?");
        assertThat(model.confirmation(ContainersViewModel.Action.START, List.of(item("idle")))).isNull();
    }

    @Test
    void losingTheEngineEmptiesTheTable() {
        fixture.connect();
        client.events.onError(new EngineException.Unreachable("gone", null));
        assertThat(model.items()).isEmpty();
        assertThat(model.loadedProperty().get()).isFalse();
    }
}
