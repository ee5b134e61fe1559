package dev.muelle.engine.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an end-to-end test class that gets one engine for all its tests (see {@link
 * EngineExtension}); test methods and lifecycle methods may declare {@link Engine}, {@link
 * DockerCli} and {@link EngineHttp} parameters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(EngineExtension.class)
public @interface EngineTest {}
