package dev.muelle.desktop;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The desktop reaches the engine only through the Docker API (the {@code engine} package and its
 * {@code EngineClient}); view-models and the task machinery never touch the UI toolkit, so they
 * are tested without it.
 */
@AnalyzeClasses(packages = "dev.muelle.desktop", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule neverReachesEngineInternals = noClasses()
            .should().dependOnClassesThat().resideInAPackage("dev.muelle.engine..");

    @ArchTest
    static final ArchRule onlyTheEnginePackageKnowsDockerJava = noClasses()
            .that().resideOutsideOfPackage("dev.muelle.desktop.engine..")
            .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..");

    @ArchTest
    static final ArchRule engineClientIsToolkitFree = noClasses()
            .that().resideInAnyPackage("dev.muelle.desktop.engine..", "dev.muelle.desktop.task..", "dev.muelle.desktop.text..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.kordamp..", "java.awt..");

    /** View-models may use JavaFX properties and collections (javafx.beans/collections), not controls. */
    @ArchTest
    static final ArchRule viewModelsNeverTouchTheToolkit = classes()
            .that().haveSimpleNameEndingWith("ViewModel").or().resideInAPackage("dev.muelle.desktop.session..")
            .should().onlyDependOnClassesThat().resideOutsideOfPackages("javafx.scene..", "javafx.stage..",
                    "javafx.application..", "org.controlsfx..", "org.kordamp..", "com.techsenger..", "java.awt..");

    @ArchTest
    static final ArchRule featuresDoNotKnowTheShell = noClasses()
            .that().resideInAnyPackage("dev.muelle.desktop.containers..", "dev.muelle.desktop.images..",
                    "dev.muelle.desktop.run..", "dev.muelle.desktop.volumes..", "dev.muelle.desktop.networks..",
                    "dev.muelle.desktop.settings..")
            .should().dependOnClassesThat().resideInAPackage("dev.muelle.desktop.shell..");
}
