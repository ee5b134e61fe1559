package dev.muelle.desktop.run;

import dev.muelle.desktop.FakeEngineClient;
import dev.muelle.desktop.InlineTasks;
import dev.muelle.desktop.engine.ContainerSpec;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.EngineInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunViewModelTest {

    private final FakeEngineClient client = new FakeEngineClient();
    private final InlineTasks inline = new InlineTasks();
    private final EngineInfo host = new EngineInfo("Fake", "1", "1.47", 2, 1L << 30, 0, 0, 0);
    private final RunViewModel model = new RunViewModel(client, host, "busybox:latest", inline.tasks, inline.notifier);

    private void fillHttpd() {
        model.nameProperty().set("web");
        model.commandProperty().set("httpd -f -p 80 -h '/var/www data'");
        RunViewModel.PortRow port = model.addPort();
        port.hostPort.set("8080");
        port.containerPort.set("80");
        RunViewModel.MountRow mount = model.addMount();
        mount.source.set("site");
        mount.target.set("/var/www");
        RunViewModel.EnvRow env = model.addEnv();
        env.key.set("GREETING");
        env.value.set("hello world");
        model.memoryProperty().set("256m");
        model.cpusProperty().set("0.5");
        model.restartPolicyProperty().set("unless-stopped");
    }

    @Test
    void aValidFormShowsTheEquivalentDockerRunCommand() {
        fillHttpd();
        assertThat(model.problems()).isEmpty();
        assertThat(model.validProperty().get()).isTrue();
        assertThat(model.commandLineProperty().get()).isEqualTo(
                "docker run -d --name web -p 8080:80 -v site:/var/www -e 'GREETING=hello world' -m 256m --cpus 0.5 "
                        + "--restart unless-stopped busybox:latest httpd -f -p 80 -h '/var/www data'");
    }

    @Test
    void runSendsExactlyWhatTheFormSays() {
        fillHttpd();
        List<String> started = new ArrayList<>();
        model.run(started::add);
        assertThat(started).containsExactly("new1");
        ContainerSpec spec = client.runs.get(0);
        assertThat(spec.name()).isEqualTo("web");
        assertThat(spec.command()).containsExactly("httpd", "-f", "-p", "80", "-h", "/var/www data");
        assertThat(spec.ports()).containsExactly(new ContainerSpec.PortMapping(8080, 80, "tcp"));
        assertThat(spec.mounts()).containsExactly(new ContainerSpec.Mount("site", "/var/www", false));
        assertThat(spec.mounts().get(0).namedVolume()).isTrue();
        assertThat(spec.environment()).containsExactly("GREETING=hello world");
        assertThat(spec.memoryBytes()).isEqualTo(256L << 20);
        assertThat(spec.nanoCpus()).isEqualTo(500_000_000L);
        assertThat(spec.restartPolicy()).isEqualTo("unless-stopped");
        assertThat(inline.notifier.messages).contains("INFO Started web: from busybox:latest");
    }

    @Test
    void badInputIsReportedAndNothingIsSent() {
        model.nameProperty().set("-bad name");
        RunViewModel.PortRow port = model.addPort();
        port.containerPort.set("70000");
        RunViewModel.MountRow mount = model.addMount();
        mount.source.set("./relative");
        mount.target.set("data");
        RunViewModel.EnvRow env = model.addEnv();
        env.key.set("HAS SPACE");
        model.memoryProperty().set("2g");
        model.cpusProperty().set("3");
        model.commandProperty().set("echo 'unclosed");
        assertThat(model.validProperty().get()).isFalse();
        assertThat(String.join("\n", model.problems()))
                .contains("The name may hold", "Container port \"70000\"", "Volume source \"./relative\"",
                        "Mount target \"data\"", "\"HAS SPACE\"", "cannot exceed the host's 1.0 GiB",
                        "CPUs cannot exceed the host's 2", "unclosed single quote");
        model.run(id -> { });
        assertThat(client.runs).isEmpty();
    }

    @Test
    void blankRowsAreIgnoredAndABlankHostPortMeansAnyFreePort() {
        model.addPort().containerPort.set("80");
        model.addPort();
        model.addEnv();
        assertThat(model.problems()).isEmpty();
        assertThat(model.commandLineProperty().get()).isEqualTo("docker run -d -p 80 busybox:latest");
    }

    @Test
    void engineRefusalsAreShownInPlainWords() {
        model.nameProperty().set("web");
        client.failNext = new EngineException.Conflict(
                "Conflict. The container name \"/web\" is already in use by container \"abc\".", null);
        model.run(id -> { });
        assertThat(model.engineErrorProperty().get()).startsWith("That name is taken by another container.");
        client.failNext = new EngineException.Failed("driver failed programming external connectivity: Bind for 0.0.0.0:8080 failed: port is already allocated", null);
        model.run(id -> { });
        assertThat(model.engineErrorProperty().get()).startsWith("A host port you chose is already in use");
    }

    @Test
    void sizesAndWordsAreReadLikeTheDockerCli() {
        assertThat(MemorySize.parse("256m")).isEqualTo(256L << 20);
        assertThat(MemorySize.parse("1g")).isEqualTo(1L << 30);
        assertThat(MemorySize.parse("512MiB")).isEqualTo(512L << 20);
        assertThat(MemorySize.parse("1.5g")).isEqualTo(3L << 29);
        assertThat(MemorySize.parse("lots")).isEqualTo(-1);
        assertThat(MemorySize.format(256L << 20)).isEqualTo("256m");
        assertThat(CommandWords.split("sh -c \"echo \\\"hi\\\" && ls\" 'a b'"))
                .containsExactly("sh", "-c", "echo \"hi\" && ls", "a b");
        assertThat(CommandWords.quote("it's")).isEqualTo("'it'\\''s'");
    }
}
