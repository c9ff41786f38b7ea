package dev.logtide.jul;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PlaceholdersTest {
    private static final Map<String, String> SYS = Map.of("host", "logs.example.com", "both", "from-sys", "empty", "");
    private static final Map<String, String> ENV = Map.of("LOGTIDE_KEY", "lp_env", "both", "from-env", "ONLY_ENV", "e");

    private static String expand(String text) {
        Function<String, String> sys = SYS::get;
        Function<String, String> env = ENV::get;
        return Placeholders.expand(text, sys, env);
    }

    @Test
    void plainReferencesTrySystemPropertiesThenTheEnvironment() {
        assertEquals("https://logs.example.com:8443", expand("https://${host}:8443"));
        assertEquals("from-sys", expand("${both}"));
        assertEquals("e", expand("${ONLY_ENV}"));
    }

    @Test
    void prefixedReferencesReadOneSource() {
        assertEquals("lp_env", expand("${env:LOGTIDE_KEY}"));
        assertEquals("from-env", expand("${env:both}"));
        assertEquals("from-sys", expand("${sys:both}"));
        assertEquals("", expand("${sys:ONLY_ENV}"));
    }

    @Test
    void fallbacksApplyToUnsetAndEmptyValues() {
        assertEquals("checkout", expand("${service:-checkout}"));
        assertEquals("dflt", expand("${empty:-dflt}"));
        assertEquals("logs.example.com", expand("${host:-unused}"));
        assertEquals("a=1,b=2", expand("${nothing:-a=1,b=2}"));
    }

    @Test
    void unresolvedBecomesEmptyAndMalformedTextIsKept() {
        assertEquals("", expand("${nothing}"));
        assertEquals("", expand("${}"));
        assertEquals("", expand("${env:}"));
        assertEquals("x${unclosed", expand("x${unclosed"));
        assertEquals("$notAReference {x}", expand("$notAReference {x}"));
        assertEquals("logs.example.com/e", expand("${host}/${ONLY_ENV}"));
        assertNull(expand(null));
    }
}
