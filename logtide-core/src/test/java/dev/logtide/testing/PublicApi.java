package dev.logtide.testing;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The public API of the module a test runs in: every public or protected type, constructor,
 * method and field of the packages its {@code module-info} exports to everyone (qualified
 * exports, {@code dev.logtide.internal.*}, are not API). {@link #check()} compares it with the
 * checked-in {@code api/<module name>.api} and fails with the lines added and removed; run the
 * tests with {@code -Dlogtide.api.update=true} to write the file instead (docs/architecture.md, "The public API").
 */
public final class PublicApi {
    /** Set to {@code true} to rewrite the checked-in file instead of failing. */
    public static final String UPDATE_PROPERTY = "logtide.api.update";

    private static final Path CLASSES = Paths.get("target", "classes");

    private PublicApi() {
    }

    /**
     * Fails when the module's public API differs from its checked-in listing.
     *
     * @throws IOException when the classes or the listing cannot be read, or the listing written
     */
    public static void check() throws IOException {
        ModuleDescriptor module = descriptor();
        Path file = Paths.get("api", module.name() + ".api");
        List<String> actual = listing(module);
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(file.getParent());
            Files.write(file, actual, StandardCharsets.UTF_8);
            return;
        }
        List<String> expected = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8)
                : Collections.emptyList();
        if (expected.equals(actual)) {
            return;
        }
        Set<String> removed = new LinkedHashSet<>(qualified(expected));
        removed.removeAll(qualified(actual));
        Set<String> added = new LinkedHashSet<>(qualified(actual));
        added.removeAll(qualified(expected));
        StringBuilder message = new StringBuilder("The public API of ").append(module.name())
                .append(" differs from ").append(file).append(".\nIf the change is intended, run the tests with -D")
                .append(UPDATE_PROPERTY).append("=true and commit the file (docs/architecture.md, \"The public API\").\n");
        removed.forEach(line -> message.append("- ").append(line).append('\n'));
        added.forEach(line -> message.append("+ ").append(line).append('\n'));
        if (removed.isEmpty() && added.isEmpty()) {
            message.append("(the same lines in another order)\n");
        }
        fail(message.toString());
    }

    /**
     * The listing's lines with each member prefixed by its type's name, so that a diff line says
     * whose member it is, and the same member line under two types stays two lines.
     */
    private static List<String> qualified(List<String> lines) {
        List<String> result = new ArrayList<>();
        String owner = "";
        for (String line : lines) {
            if (line.startsWith("  ")) {
                result.add(owner + ": " + line.trim());
            } else {
                owner = typeName(line);
                result.add(line);
            }
        }
        return result;
    }

    /** The name in a type's line: the word after its kind, without type parameters. */
    private static String typeName(String typeLine) {
        List<String> words = Arrays.asList(typeLine.split(" "));
        for (String kind : new String[] {"class", "interface", "enum", "@interface"}) {
            int at = words.indexOf(kind);
            if (at >= 0 && at + 1 < words.size()) {
                String name = words.get(at + 1);
                int generic = name.indexOf('<');
                return generic < 0 ? name : name.substring(0, generic);
            }
        }
        return typeLine;
    }

    private static ModuleDescriptor descriptor() {
        Set<ModuleReference> found = ModuleFinder.of(CLASSES).findAll();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one module-info.class in " + CLASSES.toAbsolutePath());
        }
        return found.iterator().next().descriptor();
    }

    /**
     * @param module the module
     * @return each API type's line followed by its members' lines (indented), sorted by name
     * @throws IOException when a package's classes cannot be listed
     */
    static List<String> listing(ModuleDescriptor module) throws IOException {
        Set<String> packages = module.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        List<Class<?>> types = new ArrayList<>();
        for (String pkg : packages) {
            try (Stream<Path> files = Files.list(CLASSES.resolve(pkg.replace('.', '/')))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".class") && !name.equals("package-info.class")) {
                        Class<?> type = load(pkg + "." + name.substring(0, name.length() - ".class".length()));
                        if (isApi(type)) {
                            types.add(type);
                        }
                    }
                }
            }
        }
        types.sort((a, b) -> a.getName().compareTo(b.getName()));
        List<String> lines = new ArrayList<>();
        for (Class<?> type : types) {
            lines.add(type(type));
            Set<String> members = new TreeSet<>();
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (isApi(c)) {
                    members.add(annotations(c) + modifiers(c.getModifiers() & Modifier.constructorModifiers())
                            + spaced(typeParameters(c.getTypeParameters())) + type.getSimpleName() + parameters(c)
                            + exceptions(c));
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (isApi(m) && !m.isBridge()) {
                    members.add(annotations(m) + modifiers(m.getModifiers() & Modifier.methodModifiers())
                            + (m.isDefault() ? "default " : "") + spaced(typeParameters(m.getTypeParameters()))
                            + name(m.getGenericReturnType()) + " " + m.getName() + parameters(m) + exceptions(m));
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (isApi(f)) {
                    members.add(annotations(f) + modifiers(f.getModifiers() & Modifier.fieldModifiers())
                            + name(f.getGenericType()) + " " + f.getName());
                }
            }
            members.forEach(member -> lines.add("  " + member));
        }
        return lines;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, PublicApi.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name, e);
        }
    }

    /** Public or protected, and so is every type it is nested in. */
    private static boolean isApi(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic() || !visible(type.getModifiers())) {
            return false;
        }
        return type.getDeclaringClass() == null || isApi(type.getDeclaringClass());
    }

    private static boolean isApi(Member member) {
        return !member.isSynthetic() && visible(member.getModifiers());
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String type(Class<?> type) {
        String kind;
        int modifiers = type.getModifiers() & Modifier.classModifiers();
        if (type.isAnnotation()) {
            kind = "@interface";
            modifiers &= ~Modifier.ABSTRACT;
        } else if (type.isInterface()) {
            kind = "interface";
            modifiers &= ~Modifier.ABSTRACT;
        } else if (type.isEnum()) {
            kind = "enum";
        } else {
            kind = "class";
        }
        StringBuilder line = new StringBuilder(annotations(type)).append(modifiers(modifiers)).append(kind)
                .append(' ').append(type.getName()).append(typeParameters(type.getTypeParameters()));
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum()) {
            line.append(" extends ").append(name(superclass));
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            line.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(PublicApi::name).collect(Collectors.joining(", ")));
        }
        return line.toString();
    }

    /** Only {@code @Deprecated}: the one annotation that is a statement about the API itself. */
    private static String annotations(AnnotatedElement element) {
        return element.isAnnotationPresent(Deprecated.class) ? "@Deprecated " : "";
    }

    private static String modifiers(int modifiers) {
        String text = Modifier.toString(modifiers);
        return text.isEmpty() ? "" : text + " ";
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Arrays.stream(variables).map(v -> {
            List<Type> bounds = Arrays.stream(v.getBounds()).filter(b -> b != Object.class).collect(Collectors.toList());
            return v.getName() + (bounds.isEmpty() ? "" : " extends "
                    + bounds.stream().map(PublicApi::name).collect(Collectors.joining(" & ")));
        }).collect(Collectors.joining(", ", "<", ">"));
    }

    private static String spaced(String text) {
        return text.isEmpty() ? "" : text + " ";
    }

    private static String parameters(Executable executable) {
        Type[] types = executable.getGenericParameterTypes();
        if (types.length != executable.getParameterCount()) {
            // An inner class's or enum's constructor: the generic signature leaves out the implicit ones.
            types = executable.getParameterTypes();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String name = name(types[i]);
            if (executable.isVarArgs() && i == types.length - 1) {
                name = name.substring(0, name.length() - 2) + "...";
            }
            names.add(name);
        }
        return names.stream().collect(Collectors.joining(", ", "(", ")"));
    }

    private static String exceptions(Executable executable) {
        Type[] thrown = executable.getGenericExceptionTypes();
        return thrown.length == 0 ? "" : " throws "
                + Arrays.stream(thrown).map(PublicApi::name).collect(Collectors.joining(", "));
    }

    private static String name(Type type) {
        return type.getTypeName();
    }
}
