package dev.logtide.internal.entry;

/**
 * The set of metadata keys already written for the current entry. A {@code HashSet} would
 * allocate a node per key per entry on the sender's hottest loop; this open-addressing table is
 * cleared by bumping a generation number and allocates only when it grows.
 */
final class KeySet {
    private String[] keys = new String[32];
    private int[] generations = new int[32];
    private int generation = 1;
    private int size;

    /** Forgets every key, in constant time. */
    void clear() {
        size = 0;
        if (++generation == Integer.MAX_VALUE) {
            generations = new int[keys.length]; // after 2^31 entries, start the stamps over
            generation = 1;
        }
    }

    /**
     * @param key a key
     * @return true when it was not in the set (and now is)
     */
    boolean add(String key) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
            if (generations[i] != generation) {
                keys[i] = key;
                generations[i] = generation;
                size++;
                return true;
            }
            if (keys[i].equals(key)) {
                return false;
            }
        }
    }

    /**
     * @param key a key
     * @return whether it is in the set
     */
    boolean contains(String key) {
        int mask = keys.length - 1;
        for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
            if (generations[i] != generation) {
                return false;
            }
            if (keys[i].equals(key)) {
                return true;
            }
        }
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldGenerations = generations;
        keys = new String[oldKeys.length * 2];
        generations = new int[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldGenerations[i] == generation) {
                add(oldKeys[i]);
            }
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
