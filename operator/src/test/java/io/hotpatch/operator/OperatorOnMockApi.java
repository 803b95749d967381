package io.hotpatch.operator;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Stereotype;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test of the operator, this Quarkus app, against the mock API server: every class that carries
 * it (and no test profile) shares one Quarkus start and one mock API server.
 */
@QuarkusTest
@WithTestResource(value = SharedMockApiServer.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Stereotype
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OperatorOnMockApi {}
