package dev.logtide;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The compatibility executions (docs/compatibility.md) really run on the versions they name: each
 * passes the Jackson and Kotlin versions it put on the class path.
 */
class DependencyVersionsTest {
    @Test
    void jacksonAndKotlinAreTheVersionsTheExecutionNames() throws Exception {
        assertEquals(System.getProperty("logtide.test.jacksonVersion"), new ObjectMapper().version().toString());
        // Reflection: the core's module does not read kotlin.stdlib, OkHttp's does.
        Object kotlin = Class.forName("kotlin.KotlinVersion").getField("CURRENT").get(null);
        assertEquals(System.getProperty("logtide.test.kotlinVersion"), kotlin.toString());
    }
}
