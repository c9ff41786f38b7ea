package dev.logtide.internal.entry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logtide.LogEntry;
import dev.logtide.LogLevel;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static dev.logtide.internal.entry.Encoded.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How metadata values of every kind are rendered as JSON. */
class ValueRenderingTest {
    enum Color {
        RED,
        GREEN {
            @Override
            public String toString() {
                return "green-ish";
            }
        }
    }

    /** Renders one value as {@code metadata.v}. */
    private static JsonNode render(Object value) {
        Encoded out = encode(LogEntry.builder(LogLevel.INFO, "m").put("v", value).build());
        assertEquals(EntryEncoder.Result.OK, out.result);
        return out.metadata().get("v");
    }

    @Test
    void mapsBecomeObjectsWithStringKeys() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("a", 1);
        m.put(2, "two");
        m.put(null, "nullkey");
        m.put("inner", Collections.singletonMap("b", true));
        JsonNode n = render(m);
        assertTrue(n.isObject());
        assertEquals(1, n.get("a").asInt());
        assertEquals("two", n.get("2").asText());
        assertEquals("nullkey", n.get("null").asText());
        assertTrue(n.get("inner").get("b").asBoolean());
    }

    @Test
    void collectionsAndArraysBecomeArrays() {
        assertEquals("[1,2,3]", render(Arrays.asList(1, 2, 3)).toString());
        assertEquals("[\"x\",\"y\"]", render(new LinkedHashSet<>(Arrays.asList("x", "y"))).toString());
        assertEquals("[\"a\",null,1]", render(new Object[] {"a", null, 1}).toString());
        assertEquals("[1,2]", render(new int[] {1, 2}).toString());
        assertEquals("[9007199254740992,\"9223372036854775807\"]",
                render(new long[] {1L << 53, Long.MAX_VALUE}).toString());
        assertEquals("[1.5]", render(new double[] {1.5}).toString());
        assertEquals("[true,false]", render(new boolean[] {true, false}).toString());
        assertEquals("[\"a\",\"b\"]", render(new char[] {'a', 'b'}).toString());
        assertEquals("[[1],[2,3]]", render(new int[][] {{1}, {2, 3}}).toString());
        assertEquals("[]", render(new String[0]).toString());
        assertTrue(render(new byte[] {1, 2, 3}).asText().contains("3 bytes"));
    }

    @Test
    void numbersStayNumbers() {
        assertEquals(42, render(42).intValue());
        assertEquals(Integer.MIN_VALUE, render(Integer.MIN_VALUE).intValue());
        assertEquals(1L << 53, render(1L << 53).longValue());
        assertEquals(-(1L << 53), render(-(1L << 53)).longValue());
        assertTrue(render(1L << 53).isIntegralNumber());
        assertTrue(render((short) 7).isNumber());
        assertTrue(render((byte) 7).isNumber());
        assertEquals(1.25, render(1.25).doubleValue());
        assertEquals(0.5, render(0.5f).doubleValue());
        assertEquals("0.1", render(0.1f).toString()); // the float's digits, not 0.10000000149011612
        assertEquals(Double.MAX_VALUE, render(Double.MAX_VALUE).doubleValue());
        assertEquals(new BigDecimal("0.1"), render(new BigDecimal("0.1")).decimalValue());
        assertEquals(0, new BigDecimal("1.5").compareTo(render(new BigDecimal("1.50")).decimalValue()));
        assertTrue(render(new BigDecimal("1.50")).isNumber());
        assertEquals(new BigInteger("9007199254740992"), render(new BigInteger("9007199254740992")).bigIntegerValue());
        assertEquals(42, render(new AtomicLong(42)).longValue());
        assertEquals(7, render(new AtomicInteger(7)).intValue());
        LongAdder adder = new LongAdder();
        adder.add(3);
        assertEquals(3, render(adder).longValue());
        assertTrue(render(new AtomicLong(42)).isNumber());
    }

    @Test
    void numbersAJavaScriptServerWouldAlterAreSentAsTheirExactDigits() {
        // issue 13, row 6: the server parses JSON in JavaScript: 9007199254740993 was stored as
        // ...992, Long.MAX_VALUE as 9223372036854776000, 1e400 as null.
        assertEquals("9007199254740993", render(9007199254740993L).textValue());
        assertEquals("-9007199254740993", render(-9007199254740993L).textValue());
        assertEquals("9223372036854775807", render(Long.MAX_VALUE).textValue());
        assertEquals("-9223372036854775808", render(Long.MIN_VALUE).textValue());
        assertEquals("1234567890123456789012345678901", render(new BigInteger("1234567890123456789012345678901")).textValue());
        assertEquals("1E+400", render(new BigDecimal("1e400")).textValue());
        assertEquals("3.14159265358979323846", render(new BigDecimal("3.14159265358979323846")).textValue());
        assertEquals("9007199254740993", render(new BigDecimal("9007199254740993")).textValue());
        assertEquals("12345678901234567890.123456789", render(new BigDecimal("12345678901234567890.123456789")).textValue());
        assertEquals("9223372036854775807", render(new AtomicLong(Long.MAX_VALUE)).textValue());
        assertEquals("9007199254740993", render(new Number() {
            @Override public int intValue() { return 0; }
            @Override public long longValue() { return 9007199254740993L; }
            @Override public float floatValue() { return 0; }
            @Override public double doubleValue() { return 9007199254740993.0; }
            @Override public String toString() { return "9007199254740993"; }
        }).textValue());
    }

    @Test
    void nonFiniteNumbersAreStringsBecauseJsonHasNoNaN() {
        assertEquals("NaN", render(Double.NaN).asText());
        assertEquals("Infinity", render(Double.POSITIVE_INFINITY).asText());
        assertEquals("-Infinity", render(Float.NEGATIVE_INFINITY).asText());
        assertEquals("NaN", render(Float.NaN).asText());
    }

    @Test
    void booleansAndNull() {
        assertTrue(render(true).isBoolean());
        assertFalse(render(false).asBoolean());
        assertTrue(render(null).isNull());
    }

    @Test
    void datesAndTimesBecomeIsoStrings() {
        Instant instant = Instant.parse("2024-01-02T03:04:05.678Z");
        assertEquals("2024-01-02T03:04:05.678Z", render(instant).asText());
        assertEquals("2024-01-02T03:04:05.678Z", render(Date.from(instant)).asText());
        assertEquals("2024-01-02T03:04:05.678Z", render(java.sql.Timestamp.from(instant)).asText());
        assertEquals("2024-01-02", render(java.sql.Date.valueOf("2024-01-02")).asText());
        assertEquals("03:04:05", render(java.sql.Time.valueOf("03:04:05")).asText());
        assertEquals("2024-01-02T05:04:05.678+02:00",
                render(ZonedDateTime.ofInstant(instant, ZoneId.of("Europe/Athens"))).asText());
        assertEquals("2024-01-02T03:04:05.678+01:00",
                render(OffsetDateTime.parse("2024-01-02T03:04:05.678+01:00")).asText());
        assertEquals("2024-01-02", render(LocalDate.of(2024, 1, 2)).asText());
        assertEquals("2024-01-02T03:04:05", render(LocalDateTime.of(2024, 1, 2, 3, 4, 5)).asText());
        Calendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        calendar.setTime(Date.from(instant));
        assertEquals("2024-01-02T03:04:05.678Z", render(calendar).asText());
    }

    @Test
    void enumsBecomeTheirName() {
        assertEquals("RED", render(Color.RED).asText());
        assertEquals("GREEN", render(Color.GREEN).asText());
    }

    @Test
    void optionalsAreUnwrapped() {
        assertEquals(5, render(Optional.of(5)).intValue());
        assertTrue(render(Optional.empty()).isNull());
        assertEquals("x", render(Optional.of(Collections.singletonMap("k", "x"))).get("k").asText());
    }

    @Test
    void otherObjectsUseToString() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertEquals(id.toString(), render(id).asText());
        assertEquals("sb", render(new StringBuilder("sb")).asText());
        assertEquals("c", render('c').asText());
        assertEquals("custom", render(new Object() {
            @Override
            public String toString() {
                return "custom";
            }
        }).asText());
    }

    @Test
    void aToStringThatThrowsOrReturnsNullGivesAPlaceholder() {
        JsonNode threw = render(new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("nope");
            }
        });
        assertTrue(threw.isTextual());
        assertTrue(threw.asText().contains("IllegalStateException"), threw.asText());
        JsonNode nul = render(new Object() {
            @Override
            public String toString() {
                return null;
            }
        });
        assertTrue(nul.isTextual(), nul.toString());
        JsonNode overflow = render(new Object() {
            @Override
            public String toString() {
                throw new StackOverflowError(); // what a toString() recursing through its own fields ends in
            }
        });
        assertTrue(overflow.asText().contains("StackOverflowError"), overflow.asText());
    }

    @Test
    void aToStringFailingAnAssertionGivesAPlaceholder() {
        // With -ea, a broken invariant inside toString() throws an Error, not an exception.
        JsonNode n = render(new Object() {
            @Override
            public String toString() {
                throw new AssertionError("invariant");
            }
        });
        assertTrue(n.asText().contains("AssertionError"), n.asText());
    }

    @Test
    void anIteratorFailingAnAssertionStillYieldsTheEntry() {
        AbstractCollection<Object> broken = failingIteration(new AssertionError("invariant"));
        assertReducedButIdentified(encode(hostile(broken)));
    }

    @Test
    void aMapKeyWhoseToStringThrowsStillRenders() {
        Map<Object, Object> m = new HashMap<>();
        m.put(new Object() {
            @Override
            public String toString() {
                throw new UnsupportedOperationException();
            }
        }, "v");
        JsonNode n = render(m);
        assertEquals(1, n.size());
        assertEquals("v", n.elements().next().asText());
    }

    @Test
    void cyclesBecomeCircular() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", "root");
        map.put("self", map);
        List<Object> list = new ArrayList<>();
        list.add(list);
        list.add(map);
        Object[] array = new Object[1];
        array[0] = array;
        JsonNode n = render(map);
        assertEquals("root", n.get("name").asText());
        assertEquals("[Circular]", n.get("self").asText());
        JsonNode l = render(list);
        assertEquals("[Circular]", l.get(0).asText());
        assertEquals("[Circular]", l.get(1).get("self").asText());
        assertEquals("[\"[Circular]\"]", render(array).toString());
    }

    @Test
    void aMetadataMapContainingItselfIsCircularAtTheFirstRepeat() {
        // issue 13, row 10: it was expanded one level before "[Circular]".
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "root");
        metadata.put("self", metadata);
        metadata.put("list", Collections.singletonList(metadata));
        JsonNode n = encode(LogEntry.builder(LogLevel.INFO, "m").metadata(metadata).build()).metadata();
        assertEquals("root", n.get("name").asText());
        assertEquals("[Circular]", n.get("self").asText());
        assertEquals("[Circular]", n.get("list").get(0).asText());

        Map<String, Object> context = new LinkedHashMap<>();
        context.put("self", context);
        JsonNode c = encode(LogEntry.builder(LogLevel.INFO, "m").context(context).build()).metadata();
        assertEquals("[Circular]", c.get("self").asText());
    }

    @Test
    void anEmptyMapAsAValueIsNotTakenForTheEmptyContext() {
        JsonNode n = render(Collections.emptyMap());
        assertTrue(n.isObject() && n.isEmpty(), n.toString());
    }

    @Test
    void theSameObjectTwiceIsNotACycle() {
        Map<String, Object> shared = Collections.singletonMap("k", "v");
        JsonNode n = render(Arrays.asList(shared, shared, Collections.singletonMap("again", shared)));
        assertEquals("v", n.get(0).get("k").asText());
        assertEquals("v", n.get(1).get("k").asText());
        assertEquals("v", n.get(2).get("again").get("k").asText());
    }

    @Test
    void depthIsCapped() {
        Object deep = "leaf";
        for (int i = 0; i < 5000; i++) {
            deep = Collections.singletonList(deep);
        }
        JsonNode n = render(deep);
        int depth = 0;
        while (n.isArray()) {
            n = n.get(0);
            depth++;
        }
        assertEquals("[Max depth reached]", n.asText());
        assertTrue(depth <= 10, "depth " + depth);
        assertTrue(depth >= 5, "depth " + depth);
    }

    @Test
    void hugeCollectionsAreCapped() {
        List<Integer> big = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            big.add(i);
        }
        JsonNode list = render(big);
        assertTrue(list.size() <= 1001, "size " + list.size());
        assertEquals(0, list.get(0).intValue());
        assertTrue(list.get(list.size() - 1).asText().contains("more"));

        JsonNode array = render(new int[50_000]);
        assertTrue(array.size() <= 1001, "size " + array.size());

        Map<String, Integer> bigMap = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) {
            bigMap.put("k" + i, i);
        }
        JsonNode map = render(bigMap);
        assertTrue(map.size() <= 1001, "size " + map.size());
        assertEquals(0, map.get("k0").intValue());
    }

    @Test
    void aCollectionWhoseSizeLiesIsStillBounded() {
        AbstractCollection<Integer> endless = new AbstractCollection<Integer>() {
            @Override
            public Iterator<Integer> iterator() {
                return new Iterator<Integer>() {
                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public Integer next() {
                        return 1;
                    }
                };
            }

            @Override
            public int size() {
                return 0;
            }
        };
        assertTrue(render(endless).size() <= 1001);
    }

    /** A collection whose iteration fails with {@code failure}. */
    private static AbstractCollection<Object> failingIteration(Throwable failure) {
        return new AbstractCollection<Object>() {
            @Override
            public Iterator<Object> iterator() {
                if (failure instanceof Error) {
                    throw (Error) failure;
                }
                throw (RuntimeException) failure;
            }

            @Override
            public int size() {
                return 1;
            }
        };
    }

    /** The fallback for a value that cannot be walked: the entry itself still goes out. */
    private static void assertReducedButIdentified(Encoded out) {
        assertEquals(EntryEncoder.Result.TRUNCATED, out.result);
        assertEquals("hostile", out.text("message"));
        assertEquals("error", out.text("level"));
        assertEquals("svc", out.text("service"));
        assertEquals("t-1", out.text("trace_id"));
        assertEquals("2024-01-02T03:04:05.000Z", out.text("time"));
        assertTrue(out.metadata().get("_truncated").asBoolean());
    }

    private static LogEntry hostile(Object value) {
        return LogEntry.builder(LogLevel.ERROR, "hostile").service("svc").traceId("t-1")
                .time(Instant.parse("2024-01-02T03:04:05Z")).put("v", value).build();
    }

    @Test
    void aMapMutatedWhileItIsWrittenStillYieldsTheEntry() {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            map.put("k" + i, new Object() {
                @Override
                public String toString() {
                    map.put("added" + map.size(), 1); // what another thread might do mid-iteration
                    return "v";
                }
            });
        }
        assertReducedButIdentified(encode(hostile(map)));
    }

    @Test
    void anIteratorThatThrowsStillYieldsTheEntry() {
        AbstractCollection<Object> broken = failingIteration(new IllegalStateException("closed"));
        assertReducedButIdentified(encode(hostile(broken)));
    }

    @Test
    void anEncoderRecoversForTheNextEntryAfterAHostileOne() {
        JsonBuffer buffer = new JsonBuffer();
        EntryEncoder encoder = new EntryEncoder(Encoded.options(b -> { }), buffer);
        AbstractCollection<Object> broken = failingIteration(new IllegalStateException("closed"));
        EntryEncoder.Result first = encoder.encode(hostile(Collections.singletonMap("deep", broken)));
        assertReducedButIdentified(Encoded.parse(first, buffer, 0));
        int start = buffer.size();
        EntryEncoder.Result second = encoder.encode(LogEntry.builder(LogLevel.INFO, "fine").put("k", "v").build());
        Encoded next = Encoded.parse(second, buffer, start);
        assertEquals(EntryEncoder.Result.OK, second);
        assertEquals("v", next.metadata().get("k").asText());
    }
}
