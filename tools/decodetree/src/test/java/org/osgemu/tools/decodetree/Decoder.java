package org.osgemu.tools.decodetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A generated decoder compiled in memory, driven through a recording
 * translator built with {@link Proxy}.
 */
final class Decoder {
    static final String PKG = "gen.test";
    static final String FUNCTIONS = """
            package gen.test;
            public final class Fns {
                private Fns() {}
                public static int shl1(int x) { return x << 1; }
                public static int plus8(int x) { return x + 8; }
                public static int high12(int insn) { return insn >>> 20; }
            }
            """;

    /**
     * One translator call.
     *
     * @param method the method name, e.g. {@code trans_add}
     * @param type   simple name of the argument record
     * @param args   record components by name
     */
    record Call(String method, String type, Map<String, Integer> args) {
        int arg(String name) {
            Integer v = args.get(name);
            assertTrue(v != null, "no argument " + name + " in " + this);
            return v;
        }
    }

    /**
     * What one decode did.
     *
     * @param accepted what {@code decode} returned
     * @param calls    the translator calls in order
     */
    record Result(boolean accepted, List<Call> calls) {
        /** @return the single call, asserting the decode accepted it */
        Call only() {
            assertTrue(accepted, "decode returned false; calls " + calls);
            assertEquals(1, calls.size(), "calls " + calls);
            return calls.getFirst();
        }
    }

    final String source;
    final ClassLoader loader;
    final Class<?> decoderClass;
    final Class<?> translator;
    private final Method decode;
    /** Translator methods (by name) that return false. */
    final Set<String> reject = new HashSet<>();

    private Decoder(String source, ClassLoader loader, String className) throws ReflectiveOperationException {
        this.source = source;
        this.loader = loader;
        this.decoderClass = loader.loadClass(PKG + "." + className);
        this.translator = loader.loadClass(PKG + "." + className + "$Translator");
        this.decode = decoderClass.getMethod("decode", translator, int.class);
    }

    /** Generates, compiles and loads a decoder for a spec. */
    static Decoder of(String spec, int width) throws Exception {
        String src = Generator.generate("test.decode", spec,
                new Generator.Options(PKG, "Dec", width, PKG + ".Fns", null));
        ClassLoader loader = InMemoryCompiler.compile(sources(PKG + ".Dec", src));
        return new Decoder(src, loader, "Dec");
    }

    /** Loads another decoder class from the same loader. */
    static Decoder load(ClassLoader loader, String source, String className) throws Exception {
        return new Decoder(source, loader, className);
    }

    static Map<String, String> sources(String... nameAndText) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PKG + ".Fns", FUNCTIONS);
        for (int i = 0; i < nameAndText.length; i += 2) {
            m.put(nameAndText[i], nameAndText[i + 1]);
        }
        return m;
    }

    /** Decodes one word with a recording translator. */
    Result decode(int insn) throws Exception {
        List<Call> calls = new ArrayList<>();
        Object t = Proxy.newProxyInstance(loader, new Class<?>[] {translator}, (proxy, m, a) -> {
            if (m.getDeclaringClass() == Object.class) {
                return m.getName().equals("equals") ? proxy == a[0]
                        : m.getName().equals("hashCode") ? System.identityHashCode(proxy) : "translator";
            }
            Object rec = a[0];
            Map<String, Integer> args = new LinkedHashMap<>();
            for (RecordComponent rc : rec.getClass().getRecordComponents()) {
                args.put(rc.getName(), (Integer) rc.getAccessor().invoke(rec));
            }
            calls.add(new Call(m.getName(), rec.getClass().getSimpleName(), args));
            return !reject.contains(m.getName());
        });
        try {
            return new Result((Boolean) decode.invoke(null, t, insn), calls);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    /** Decodes and returns the single accepted call. */
    Call one(int insn) throws Exception {
        return decode(insn).only();
    }
}
