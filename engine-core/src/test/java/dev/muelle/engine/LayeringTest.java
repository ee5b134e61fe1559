package dev.muelle.engine;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The engine's one-way flow: api → services (container, image, ...) → runtime/store. A handler
 * never reaches SQL or runc; a service never knows about HTTP; the engine knows no UI toolkit.
 */
@AnalyzeClasses(packages = "dev.muelle.engine", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule servicesDoNotKnowHttp = noClasses()
            .that().resideOutsideOfPackages("dev.muelle.engine.api..", "dev.muelle.engine")
            .should().dependOnClassesThat().resideInAnyPackage("dev.muelle.engine.api..", "io.netty.handler.codec.http..");

    @ArchTest
    static final ArchRule handlersDoNotTouchStorageOrRuntime = noClasses()
            .that().resideInAPackage("dev.muelle.engine.api..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.muelle.engine.store..", "java.sql..",
                    "dev.muelle.engine.runtime..");

    @ArchTest
    static final ArchRule runtimeAndStoreAreBelowServices = noClasses()
            .that().resideInAnyPackage("dev.muelle.engine.runtime..", "dev.muelle.engine.store..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.muelle.engine.container..",
                    "dev.muelle.engine.image..");

    @ArchTest
    static final ArchRule noUiToolkit = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "java.awt..", "javax.swing..");
}
