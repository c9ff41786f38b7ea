package dev.logtide.query;

/** How the server matches {@link QueryOptions#q() q}, the text search of a query. */
public enum SearchMode {
    /** PostgreSQL full-text search on words (the server's default): fast, matches whole words. */
    FULLTEXT("fulltext"),
    /** Plain substring match: finds parts of words and punctuation, slower on large tables. */
    SUBSTRING("substring");

    private final String wireName;

    SearchMode(String wireName) {
        this.wireName = wireName;
    }

    /** @return the value of the {@code searchMode} query parameter */
    public String wireName() {
        return wireName;
    }
}
