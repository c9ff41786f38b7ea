package dev.logtide.testing;

import dev.logtide.ClientOptions;

/** Reads an option's value back from built options, for the tests that keep docs and code in step. */
public final class OptionDefaults {
    private OptionDefaults() {
    }

    /**
     * @param options built options
     * @param option  an option name from {@code ClientSettings.OPTION_NAMES}
     * @return its value on {@link ClientOptions} or its {@code PayloadLimits} when it is a plain
     *     number, boolean or string; {@code null} otherwise
     * @throws ReflectiveOperationException when the accessor cannot be called
     */
    public static Object of(ClientOptions options, String option) throws ReflectiveOperationException {
        for (Object holder : new Object[] {options, options.payloadLimits()}) {
            try {
                Object value = holder.getClass().getMethod(option).invoke(holder);
                return value instanceof Number || value instanceof Boolean || value instanceof String ? value : null;
            } catch (NoSuchMethodException notHere) {
                // the option lives on the other holder
            }
        }
        return null;
    }
}
