package org.osgemu.launcher;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configuration properties a DS component declares: the elements of the component property
 * types (annotation interfaces) its activation constructor, {@code activate} or {@code modified}
 * method takes, named as DS names them. This is how {@code -device DRIVER,prop=value} learns,
 * from the device bundle itself, which properties a driver has, so that a misspelt one is refused
 * as QEMU refuses it rather than ignored.
 */
final class DeclaredProperties {

    /** QEMU's generic {@code -device} properties, which every device type takes here. */
    static final Set<String> GENERIC = Set.of("id", "bus");

    private DeclaredProperties() {}

    /**
     * The first of the {@code given} properties that is neither generic nor {@code declared}. A
     * backend property ({@code drive=}, {@code netdev=}, {@code chardev=}) counts as declared when
     * only its target filter ({@code chardev.target}) is: that is what the launcher makes of it.
     */
    static Optional<String> firstUndeclared(Set<String> given, Set<String> declared) {
        for (String property : given) {
            boolean linked = LaunchPlan.DeviceSpec.BACKEND_REFERENCES.contains(property) && declared.contains(property + ".target");
            if (!GENERIC.contains(property) && !declared.contains(property) && !linked) {
                return Optional.of(property);
            }
        }
        return Optional.empty();
    }

    /**
     * The property names {@code component} declares; empty when it takes no component property
     * type (it may read any property from a map, so nothing can be refused).
     *
     * @param constructorParameters the parameter count of its activation constructor (the DS
     *        description's {@code init}), 0 when it has none
     * @param methods names of its activate and modified methods, null entries allowed
     */
    static Optional<Set<String>> of(Class<?> component, int constructorParameters, List<String> methods) {
        List<Executable> activation = new ArrayList<>();
        if (constructorParameters > 0) {
            for (Constructor<?> c : component.getDeclaredConstructors()) {
                if (c.getParameterCount() == constructorParameters) {
                    activation.add(c);
                }
            }
        }
        for (Class<?> c = component; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (methods.contains(m.getName())) {
                    activation.add(m);
                }
            }
        }
        Set<String> names = new TreeSet<>();
        boolean typed = false;
        for (Executable e : activation) {
            for (Class<?> parameter : e.getParameterTypes()) {
                if (parameter.isAnnotation()) {
                    typed = true;
                    names.addAll(elements(parameter));
                }
            }
        }
        return typed ? Optional.of(names) : Optional.empty();
    }

    /** The property names of one component property type, with its {@code PREFIX_} when it has one. */
    private static Set<String> elements(Class<?> type) {
        String prefix = "";
        try {
            Field f = type.getField("PREFIX_");
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                prefix = (String) f.get(null);
            }
        } catch (NoSuchFieldException | IllegalAccessException absent) {
            // no prefix
        }
        Set<String> names = new TreeSet<>();
        for (Method m : type.getDeclaredMethods()) {
            if (m.getParameterCount() == 0 && !m.isSynthetic()) {
                names.add(prefix + propertyName(m.getName()));
            }
        }
        return names;
    }

    /**
     * The property an element names, by the DS rules (Declarative Services 1.4, "component
     * property mapping"): {@code $_$} is {@code -}, {@code $$} is {@code $}, a lone {@code $}
     * vanishes, {@code __} is {@code _} and a lone {@code _} is {@code .}.
     */
    static String propertyName(String element) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < element.length()) {
            char c = element.charAt(i);
            if (c == '$') {
                if (element.startsWith("$_$", i)) {
                    sb.append('-');
                    i += 3;
                } else if (element.startsWith("$$", i)) {
                    sb.append('$');
                    i += 2;
                } else {
                    i++;
                }
            } else if (c == '_') {
                if (element.startsWith("__", i)) {
                    sb.append('_');
                    i += 2;
                } else {
                    sb.append('.');
                    i++;
                }
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }
}
