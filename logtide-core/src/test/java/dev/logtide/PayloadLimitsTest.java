package dev.logtide;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadLimitsTest {
    @Test
    void defaultsAreTheSeedsOnes() {
        PayloadLimits d = PayloadLimits.defaults();
        assertEquals(10 * 1024, d.maxFieldSize());
        assertEquals(100 * 1024, d.maxLogSize());
        assertEquals("...[TRUNCATED]", d.truncationMarker());
        assertTrue(d.excludeFields().isEmpty());
        assertFalse(d.isExcluded("password"));
    }

    @Test
    void excludedFieldsAreCaseInsensitiveAndTrimmed() {
        PayloadLimits l = PayloadLimits.builder().excludeFields(" Password ", null, "  ")
                .excludeFields(Arrays.asList("API_KEY", null)).build();
        assertEquals(new HashSet<>(Arrays.asList("password", "api_key")), l.excludeFields());
        assertTrue(l.isExcluded("PASSWORD"));
        assertTrue(l.isExcluded("password"));
        assertTrue(l.isExcluded("Api_Key"));
        assertFalse(l.isExcluded("passwords"));
        assertFalse(l.isExcluded(null));
        assertThrows(UnsupportedOperationException.class, () -> l.excludeFields().add("x"));
    }

    @Test
    void aNullArrayOfFieldsIsIgnored() {
        assertTrue(PayloadLimits.builder().excludeFields((String[]) null).build().excludeFields().isEmpty());
    }

    @Test
    void invalidLimitsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PayloadLimits.builder().maxFieldSize(15).build())
                .getMessage().contains("maxFieldSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PayloadLimits.builder().maxFieldSize(-1).build())
                .getMessage().contains("maxFieldSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PayloadLimits.builder().maxLogSize(1023).build())
                .getMessage().contains("maxLogSize"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PayloadLimits.builder().truncationMarker(null).build()).getMessage().contains("truncationMarker"));
        PayloadLimits.builder().maxFieldSize(16).maxLogSize(1024).truncationMarker("").build();
    }

    @Test
    void toStringShowsTheLimits() {
        String s = PayloadLimits.builder().maxFieldSize(77).excludeFields("secret").build().toString();
        assertTrue(s.contains("77") && s.contains("secret"), s);
    }
}
