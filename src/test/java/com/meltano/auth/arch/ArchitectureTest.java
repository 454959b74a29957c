package com.meltano.auth.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import com.meltano.auth.common.BackgroundJob;

import io.quarkus.scheduler.Scheduled;

/**
 * STYLE.md rules 1 and 8: JAX-RS stays at the edge (services take and return plain values), the
 * admin API is an edge over the features, the verifier stands alone, and no two packages depend on
 * each other, however indirectly. And of the tests: a process-level test class runs beside the
 * Quarkus tests.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.meltano.auth");

    /** Endpoint, resource, page and mapper classes (and the classes nested in them) form the HTTP edge. */
    private static final DescribedPredicate<JavaClass> EDGE = DescribedPredicate.describe("edge classes", c -> {
        String topLevel = c.getName().substring(c.getPackageName().length() + 1).split("\\$")[0];
        return List.of("Endpoint", "Resource", "Mapper", "Errors", "Guard", "Cookies", "Headers", "Pages").stream()
                .anyMatch(topLevel::endsWith);
    });

    @Test
    void jaxRsWhenUsedThenOnlyInEdgeClasses() {
        noClasses()
                .that(DescribedPredicate.not(EDGE))
                .should().dependOnClassesThat().resideInAPackage("jakarta.ws.rs..")
                .because("only endpoint, resource, page and mapper classes may import jakarta.ws.rs (STYLE.md rule 1)")
                .check(CLASSES);
    }

    @Test
    void featuresWhenCompiledThenIndependentOfAdminEdge() {
        noClasses()
                .that().resideOutsideOfPackage("com.meltano.auth.admin..")
                .should().dependOnClassesThat().resideInAPackage("com.meltano.auth.admin..")
                .because("the admin API is an edge over the features, never the other way round")
                .check(CLASSES);
    }

    @Test
    void verifierWhenCompiledThenNeedsOnlyTheJdkAndItsJoseLibrary() {
        classes()
                .that().resideInAPackage("com.meltano.auth.verifier..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "com.nimbusds..",
                        "com.meltano.auth.verifier..")
                .because("downstream services add the verifier without Quarkus or the server (issue 5)")
                .check(CLASSES);
    }

    @Test
    void packagesWhenCompiledThenFreeOfCycles() {
        slices()
                .matching("com.meltano.auth.(**)")
                .should().beFreeOfCycles()
                .because("a feature package depends on lower ones only, so each can be read and changed alone (STYLE.md rule 8)")
                .check(CLASSES);
    }

    @Test
    void scheduledJobWhenDeclaredThenStopsWithTheServer() {
        methods()
                .that().areAnnotatedWith(Scheduled.class)
                .should().beAnnotatedWith(BackgroundJob.class)
                .because("a stopping server starts no job and waits for those in flight (common.RunMode), so that a clean stop"
                        + " logs no stack trace of a job meeting torn-down beans")
                .check(CLASSES);
    }

    @Test
    void processLevelTestWhenDeclaredThenRunsBesideTheQuarkusTests() {
        JavaClasses tests = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("com.meltano.auth.it");
        classes()
                .that().haveSimpleNameEndingWith("IT").and().areTopLevelClasses()
                .should().beAnnotatedWith("com.meltano.auth.it.ProcessLevel")
                .because("unmarked, a class that starts server processes would run on the Quarkus tests' thread, one more"
                        + " link of the suite's longest chain (README, \"How it is built\")")
                .check(tests);
    }
}
