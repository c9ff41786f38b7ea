package dev.logtide.log4j2;

import org.apache.logging.log4j.util.IndexedReadOnlyStringMap;
import org.apache.logging.log4j.util.ReadOnlyStringMap;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.apache.logging.log4j.util.StringMap;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A read-only {@code Map} over a frozen copy of an event's context data. Log4j2 reuses the
 * event and its context map for the next event, so the data must be copied on the calling
 * thread; copying Log4j2's sorted arrays is cheaper than filling a hash map, and a map Log4j2
 * has already frozen is shared as it is.
 */
final class FrozenContext extends AbstractMap<String, Object> {
    private final IndexedReadOnlyStringMap data;

    private FrozenContext(IndexedReadOnlyStringMap data) {
        this.data = data;
    }

    /**
     * @param contextData an event's context data, only read during this call
     * @return a map of the same entries that does not change when the event's does
     */
    static FrozenContext of(ReadOnlyStringMap contextData) {
        if (contextData instanceof StringMap && ((StringMap) contextData).isFrozen()
                && contextData instanceof IndexedReadOnlyStringMap) {
            return new FrozenContext((IndexedReadOnlyStringMap) contextData);
        }
        SortedArrayStringMap copy = new SortedArrayStringMap(contextData);
        copy.freeze();
        return new FrozenContext(copy);
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String && data.containsKey((String) key);
    }

    @Override
    public Object get(Object key) {
        return key instanceof String ? data.getValue((String) key) : null;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<Entry<String, Object>>() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<Entry<String, Object>>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < data.size();
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(data.getKeyAt(i), data.getValueAt(i));
                    }
                };
            }
        };
    }
}
