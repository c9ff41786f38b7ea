package dev.logtide.internal.entry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeySetTest {
    @Test
    void remembersKeysUntilClearedAndGrowsWithoutLosingAny() {
        KeySet set = new KeySet();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1000; i++) {
                assertTrue(set.add("key" + i), "first add of key" + i + " in round " + round);
            }
            for (int i = 0; i < 1000; i++) {
                assertFalse(set.add(new String("key" + i)), "second add of key" + i);
            }
            set.clear();
        }
        assertTrue(set.add("Aa"));
        assertTrue(set.add("BB")); // same hashCode as "Aa"
        assertFalse(set.add("BB"));
    }
}
