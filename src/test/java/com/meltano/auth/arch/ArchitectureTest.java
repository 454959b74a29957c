package com.meltano.auth.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** STYLE.md rule 1: JAX-RS stays at the edge; services take and return plain values. */
@AnalyzeClasses(packages = "com.meltano.auth", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule jaxRsOnlyInEdgeClasses = noClasses()
            .that().haveSimpleNameNotEndingWith("Endpoint")
            .and().haveSimpleNameNotEndingWith("Resource")
            .and().haveSimpleNameNotEndingWith("Mapper")
            .and().haveSimpleNameNotEndingWith("Errors")
            .and().haveSimpleNameNotEndingWith("Guard")
            .and().haveSimpleNameNotEndingWith("Page")
            .should().dependOnClassesThat().resideInAPackage("jakarta.ws.rs..")
            .because("only endpoint, resource and page classes may import jakarta.ws.rs (STYLE.md rule 1)");

    @ArchTest
    static final ArchRule servicesDoNotDependOnAdminEdge = noClasses()
            .that().resideOutsideOfPackage("com.meltano.auth.admin..")
            .should().dependOnClassesThat().resideInAPackage("com.meltano.auth.admin..")
            .because("the admin API is an edge over the features, never the other way round");
}
