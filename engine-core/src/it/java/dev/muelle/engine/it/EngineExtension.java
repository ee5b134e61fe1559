package dev.muelle.engine.it;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives each test class one engine, chosen by {@code muelle.it.engine}, with busybox loaded.
 *
 * <p>The engine lives in the class-level store, so JUnit closes it after the class even when a
 * test or {@code @AfterAll} failed; closing removes containers, mounts and the scratch dir. When a
 * test fails, the tail of the engine's log is attached to the failure.
 */
public final class EngineExtension
    implements BeforeAllCallback, ParameterResolver, TestExecutionExceptionHandler {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EngineExtension.class);

  /** Closes the engine when JUnit discards the class-level store. */
  private record StoredEngine(Engine engine) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      engine.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Engine engine = Engine.start();
    context.getStore(NAMESPACE).put(Engine.class, new StoredEngine(engine));
    Fixtures.loadBusybox(new DockerCli(engine.dockerHost()));
  }

  private static Engine engine(ExtensionContext context) {
    StoredEngine stored = context.getStore(NAMESPACE).get(Engine.class, StoredEngine.class);
    if (stored == null) {
      throw new IllegalStateException("no engine: is the test class annotated with @EngineTest?");
    }
    return stored.engine();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Engine.class || type == DockerCli.class || type == EngineHttp.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Engine engine = engine(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == DockerCli.class) {
      return new DockerCli(engine.dockerHost());
    }
    if (type == EngineHttp.class) {
      return new EngineHttp(engine.socket());
    }
    return engine;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    Engine engine = engine(context);
    failure.addSuppressed(new EngineLog(engine + " log (last 80 lines):\n" + engine.logTail(80)));
    throw failure;
  }

  /** Carries the engine's log into a test report; it has no stack trace of its own. */
  private static final class EngineLog extends Exception {
    EngineLog(String log) {
      super(log, null, false, false);
    }
  }
}
