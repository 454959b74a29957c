package com.meltano.auth.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** STYLE.md rule 1: JAX-RS stays at the edge; services take and return plain values. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.meltano.auth");

    @Test
    void jaxRsWhenUsedThenOnlyInEdgeClasses() {
        noClasses()
                .that().haveSimpleNameNotEndingWith("Endpoint")
                .and().haveSimpleNameNotEndingWith("Resource")
                .and().haveSimpleNameNotEndingWith("Mapper")
                .and().haveSimpleNameNotEndingWith("Errors")
                .and().haveSimpleNameNotEndingWith("Guard")
                .and().haveSimpleNameNotEndingWith("Cookies")
                .and().haveSimpleNameNotEndingWith("Headers")
                .should().dependOnClassesThat().resideInAPackage("jakarta.ws.rs..")
                .because("only endpoint, resource and mapper classes may import jakarta.ws.rs (STYLE.md rule 1)")
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
}
