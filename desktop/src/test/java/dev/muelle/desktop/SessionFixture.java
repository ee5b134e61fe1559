package dev.muelle.desktop;

import dev.muelle.desktop.engine.EngineLocator;
import dev.muelle.desktop.engine.EngineStrategy;
import dev.muelle.desktop.session.EngineSession;

import java.util.List;
import java.util.Optional;

/** A connected {@link EngineSession} over a {@link FakeEngineClient}, for view-model tests. */
public final class SessionFixture {

    public final InlineTasks inline = new InlineTasks();
    public final FakeEngineClient client;
    public final EngineSession session;

    public SessionFixture(FakeEngineClient client) {
        this.client = client;
        EngineStrategy fake = new EngineStrategy() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public Optional<String> candidate() {
                return Optional.of("unix:///fake.sock");
            }

            @Override
            public String howToFix(String candidate) {
                return "";
            }
        };
        this.session = new EngineSession(() -> new EngineLocator(List.of(fake), e -> true), e -> true, e -> client,
                e -> { }, inline.tasks, inline.notifier);
    }

    public SessionFixture connect() {
        session.connect();
        return this;
    }

    public List<String> messages() {
        return inline.notifier.messages;
    }
}
