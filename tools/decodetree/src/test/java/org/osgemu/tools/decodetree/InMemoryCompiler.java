package org.osgemu.tools.decodetree;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles Java sources in memory with javax.tools and loads the classes. */
final class InMemoryCompiler {
    private InMemoryCompiler() {
    }

    /**
     * Compiles sources and returns a loader for the result; fails the test
     * with the compiler's diagnostics if compilation fails.
     *
     * @param sources fully qualified class name to source text
     * @return a class loader defining the compiled classes
     */
    static ClassLoader compile(Map<String, String> sources) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        StandardJavaFileManager std = compiler.getStandardFileManager(diagnostics, null, null);
        JavaFileManager files = new ForwardingJavaFileManager<>(std) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className,
                                                       JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/')
                        + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        classes.put(className, out);
                        return out;
                    }
                };
            }
        };
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, text) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        }));
        boolean ok = compiler.getTask(null, files, diagnostics, List.of("-Xlint:all", "-Werror"), null, units).call();
        if (!ok) {
            StringBuilder sb = new StringBuilder("compilation failed:\n");
            diagnostics.getDiagnostics().forEach(d -> sb.append(d).append('\n'));
            sources.forEach((n, t) -> sb.append("---- ").append(n).append('\n').append(t));
            fail(sb.toString());
        }
        return new ClassLoader(InMemoryCompiler.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream out = classes.get(name);
                if (out == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] b = out.toByteArray();
                return defineClass(name, b, 0, b.length);
            }
        };
    }
}
