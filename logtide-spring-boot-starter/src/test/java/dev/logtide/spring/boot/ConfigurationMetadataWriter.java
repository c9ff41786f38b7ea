package dev.logtide.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logtide.ClientOption;
import dev.logtide.http.HttpLogOptions;

import java.io.File;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;

/**
 * Writes {@code META-INF/spring-configuration-metadata.json} from the option table (run by the
 * build before the jar is packaged, see the pom): one property per {@link ClientOption} with its
 * type, description and default, plus {@code logtide.enabled} and {@code logtide.http.*}, whose
 * types and defaults are read from a default {@link HttpLogOptions}.
 */
public final class ConfigurationMetadataWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ConfigurationMetadataWriter() {
    }

    /**
     * @param args the file to write
     * @throws Exception when it cannot be written
     */
    public static void main(String[] args) throws Exception {
        File file = new File(args[0]);
        file.getParentFile().mkdirs();
        JSON.writeValue(file, metadata());
    }

    static ObjectNode metadata() throws ReflectiveOperationException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode groups = root.putArray("groups");
        groups.addObject().put("name", LogTideProperties.PREFIX)
                .put("description", "LogTide: where and how the application's logs are shipped.");
        groups.addObject().put("name", LogTideProperties.HTTP_PREFIX)
                .put("description", "LogTide request logging (servlet and WebFlux applications).");
        groups.addObject().put("name", LogTideProperties.TRACING_PREFIX)
                .put("description", "LogTide span export over OTLP (with logtide-opentelemetry on the class path).");
        ArrayNode properties = root.putArray("properties");
        properties.addObject().put("name", LogTideProperties.ENABLED).put("type", "java.lang.Boolean")
                .put("description", "false leaves LogTide off even when the URL and key are set.")
                .put("defaultValue", true);
        for (ClientOption<?> option : ClientOption.all()) {
            ObjectNode p = properties.addObject();
            p.put("name", LogTideProperties.propertyName(option));
            p.put("type", typeName(option.kind()));
            p.put("description", description(option));
            Object value = option.defaultValue();
            if (value instanceof Collection && !((Collection<?>) value).isEmpty() || value instanceof Number
                    || value instanceof Boolean || value instanceof String) {
                p.set("defaultValue", JSON.valueToTree(value));
            }
        }
        properties.addObject().put("name", LogTideProperties.HTTP_ENABLED).put("type", "java.lang.Boolean")
                .put("description", "false registers no request-logging filter.").put("defaultValue", true);
        HttpLogOptions defaults = HttpLogOptions.builder().build();
        for (String name : HttpLogOptions.OPTION_NAMES) {
            Method accessor = HttpLogOptions.class.getMethod(name);
            Object value = accessor.invoke(defaults);
            ObjectNode p = properties.addObject();
            p.put("name", LogTideProperties.httpPropertyName(name));
            Class<?> type = accessor.getReturnType();
            p.put("type", type == boolean.class ? "java.lang.Boolean"
                    : Collection.class.isAssignableFrom(type) ? "java.util.List<java.lang.String>" : "java.lang.String");
            p.put("description", "The request-logging option " + name + " (docs/http.md).");
            if (value != null && !(value instanceof Collection && ((Collection<?>) value).isEmpty())) {
                p.set("defaultValue", JSON.valueToTree(value));
            }
        }
        tracing(properties);
        return root;
    }

    /** {@code logtide.tracing.*}: the span export with logtide-opentelemetry (docs/spring-boot.md, Tracing). */
    private static void tracing(ArrayNode properties) {
        properties.addObject().put("name", LogTideProperties.TRACING_ENABLED).put("type", "java.lang.Boolean")
                .put("description", "false exports no spans even with logtide-opentelemetry on the class path.")
                .put("defaultValue", true);
        properties.addObject().put("name", LogTideProperties.TRACING_SAMPLE_RATE).put("type", "java.lang.Double")
                .put("description", "The share of root spans sampled, 0 to 1 (parent-based: a child follows its parent).")
                .put("defaultValue", LogTideProperties.DEFAULT_TRACING_SAMPLE_RATE);
        properties.addObject().put("name", LogTideProperties.TRACING_ENVIRONMENT).put("type", "java.lang.String")
                .put("description", "The spans' resource attribute deployment.environment.");
        properties.addObject().put("name", LogTideProperties.TRACING_RELEASE).put("type", "java.lang.String")
                .put("description", "The spans' resource attribute service.version.");
    }

    /** The table's description, plus the environment variable and bounds, as docs/configuration.md shows them. */
    static String description(ClientOption<?> option) {
        StringBuilder s = new StringBuilder(option.description());
        if (option.minimum().isPresent() && option.maximum().isEmpty()) {
            s.append(s.charAt(s.length() - 1) == '.' ? "" : ".").append(" At least ").append(option.minimum().getAsLong()).append('.');
        }
        if (option.environmentVariable() != null) {
            s.append(s.charAt(s.length() - 1) == '.' ? "" : ".").append(" Falls back to ").append(option.environmentVariable()).append('.');
        }
        return s.toString();
    }

    static String typeName(ClientOption.Kind kind) {
        Class<?> type = LogTideProperties.javaType(kind);
        if (type == Map.class) {
            return "java.util.Map<java.lang.String,java.lang.String>";
        }
        return type == java.util.List.class ? "java.util.List<java.lang.String>" : type.getName();
    }
}
