package org.osgemu.api.vmstate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The migratable state of a device or CPU, after QEMU's {@code VMStateDescription}: a name, a
 * version, the oldest version still loadable, and named typed fields bound to the components of
 * a state record. Saving always writes {@link #version()}; loading accepts
 * {@link #minimumVersion()}..{@link #version()} and fills fields added after the stream's version
 * with zero.
 *
 * <pre>{@code
 * record UartState(int ier, int lcr, byte[] rx) {}
 * static final VMStateDescription<UartState> VMSTATE = VMStateDescription.builder("ns16550a", UartState.class)
 *         .version(1).u8("ier").u8("lcr").bytesVariable("rx", 16).build();
 * }</pre>
 *
 * @param <S> the state record
 */
public final class VMStateDescription<S extends Record> {

    private final String name;
    private final Class<S> type;
    private final int version;
    private final int minimumVersion;
    private final List<VMStateField> fields;
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;
    private final Class<?>[] componentTypes;

    private VMStateDescription(Builder<S> b) {
        this.name = b.name;
        this.type = b.type;
        this.version = b.version;
        this.minimumVersion = b.minimumVersion;
        this.fields = List.copyOf(b.fields);
        RecordComponent[] components = type.getRecordComponents();
        if (components.length != fields.size()) {
            throw new IllegalArgumentException("VMState " + name + ": " + type.getSimpleName() + " has "
                    + components.length + " components but " + fields.size() + " fields are declared");
        }
        accessors = new MethodHandle[components.length];
        componentTypes = new Class<?>[components.length];
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                VMStateField f = fields.get(i);
                if (!c.getName().equals(f.name())) {
                    throw new IllegalArgumentException("VMState " + name + ": field " + i + " is declared as '"
                            + f.name() + "' but the record component is '" + c.getName() + "'");
                }
                checkJavaType(f, c.getType());
                componentTypes[i] = c.getType();
                accessors[i] = lookup.unreflect(c.getAccessor());
            }
            constructor = lookup.findConstructor(type, MethodType.methodType(void.class, componentTypes));
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("VMState " + name + ": record " + type.getName()
                    + " must be public and in an exported or public package: " + e.getMessage(), e);
        }
    }

    /** Starts a description named {@code name} for the record type {@code type}. */
    public static <S extends Record> Builder<S> builder(String name, Class<S> type) {
        return new Builder<>(name, type);
    }

    public String name() { return name; }
    public Class<S> type() { return type; }
    public int version() { return version; }
    public int minimumVersion() { return minimumVersion; }
    public List<VMStateField> fields() { return fields; }

    /** Encodes {@code state} at the current version. */
    public void save(S state, DataOutputStream out) throws IOException {
        Objects.requireNonNull(state, "state");
        for (int i = 0; i < fields.size(); i++) {
            Object value = get(i, state);
            if (value == null) {
                throw new IllegalStateException("VMState " + name + "." + fields.get(i).name() + ": value is null");
            }
            writeField(fields.get(i), value, out);
        }
    }

    /** Encodes {@code state} into a new byte array. */
    public byte[] save(S state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            save(state, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a state written at {@code streamVersion}. */
    public S load(DataInputStream in, int streamVersion) throws VMStateException {
        if (streamVersion > version || streamVersion < minimumVersion) {
            throw new VMStateException(name + ": stream has version " + streamVersion + ", this build loads "
                    + minimumVersion + ".." + version);
        }
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            VMStateField f = fields.get(i);
            try {
                values[i] = f.sinceVersion() > streamVersion ? zero(componentTypes[i], f) : readField(f, componentTypes[i], in);
            } catch (EOFException e) {
                throw new VMStateException(name + "." + f.name() + ": input ends inside the field", e);
            } catch (IOException e) {
                throw new VMStateException(name + "." + f.name() + ": " + e.getMessage(), e);
            }
        }
        try {
            @SuppressWarnings("unchecked")
            S s = (S) constructor.invokeWithArguments(values);
            return s;
        } catch (IllegalArgumentException e) {
            throw new VMStateException(name + ": " + e.getMessage(), e);
        } catch (Throwable t) {
            throw new VMStateException(name + ": cannot build " + type.getSimpleName() + ": " + t, t);
        }
    }

    /** Decodes {@code data}, which must hold exactly one state at {@code streamVersion}. */
    public S load(byte[] data, int streamVersion) throws VMStateException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        S s = load(in, streamVersion);
        try {
            if (in.available() > 0) {
                throw new VMStateException(name + ": " + in.available() + " byte(s) left over after the last field");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    private Object get(int i, S state) {
        try {
            return accessors[i].invoke(state);
        } catch (Throwable t) {
            throw new IllegalStateException("VMState " + name + ": cannot read " + fields.get(i).name(), t);
        }
    }

    private void writeField(VMStateField f, Object v, DataOutputStream out) throws IOException {
        switch (f.type()) {
            case BOOL -> out.writeByte((Boolean) v ? 1 : 0);
            case U8 -> out.writeByte(checkRange(f, ((Number) v).longValue(), 0xFFL));
            case U16 -> out.writeShort(checkRange(f, ((Number) v).longValue(), 0xFFFFL));
            case U32 -> out.writeInt(v instanceof Integer n ? n : checkRange(f, (Long) v, 0xFFFF_FFFFL));
            case I32 -> out.writeInt((Integer) v);
            case U64, I64 -> out.writeLong((Long) v);
            case BYTES -> {
                byte[] b = (byte[]) v;
                writeLength(f, b.length, out);
                out.write(b);
            }
            case U32_ARRAY -> {
                int[] a = (int[]) v;
                writeLength(f, a.length, out);
                for (int x : a) out.writeInt(x);
            }
            case U64_ARRAY -> {
                long[] a = (long[]) v;
                writeLength(f, a.length, out);
                for (long x : a) out.writeLong(x);
            }
            case STRING -> {
                byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
                writeLength(f, b.length, out);
                out.write(b);
            }
        }
    }

    private void writeLength(VMStateField f, int actual, DataOutputStream out) {
        try {
            if (f.length() >= 0) {
                if (actual != f.length()) {
                    throw new IllegalStateException("VMState " + name + "." + f.name() + ": holds " + actual
                            + " elements, the description fixes " + f.length());
                }
            } else {
                if (actual > f.maxLength()) {
                    throw new IllegalStateException("VMState " + name + "." + f.name() + ": holds " + actual
                            + " elements, more than the maximum " + f.maxLength());
                }
                out.writeInt(actual);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int checkRange(VMStateField f, long v, long max) {
        if (v < 0 || v > max) {
            throw new IllegalStateException("VMState " + name + "." + f.name() + ": value " + v + " does not fit " + f.type());
        }
        return (int) v;
    }

    private Object readField(VMStateField f, Class<?> javaType, DataInputStream in) throws IOException, VMStateException {
        return switch (f.type()) {
            case BOOL -> {
                int b = in.readUnsignedByte();
                if (b > 1) throw new VMStateException(name + "." + f.name() + ": boolean byte is " + b + ", not 0 or 1");
                yield b == 1;
            }
            case U8 -> in.readUnsignedByte();
            case U16 -> in.readUnsignedShort();
            case U32 -> javaType == long.class ? Integer.toUnsignedLong(in.readInt()) : (Object) in.readInt();
            case I32 -> in.readInt();
            case U64, I64 -> in.readLong();
            case BYTES -> readFully(in, readLength(f, in));
            case U32_ARRAY -> {
                int[] a = new int[readLength(f, in)];
                for (int i = 0; i < a.length; i++) a[i] = in.readInt();
                yield a;
            }
            case U64_ARRAY -> {
                long[] a = new long[readLength(f, in)];
                for (int i = 0; i < a.length; i++) a[i] = in.readLong();
                yield a;
            }
            case STRING -> new String(readFully(in, readLength(f, in)), StandardCharsets.UTF_8);
        };
    }

    /** {@code n} bytes; unlike {@code readNBytes}, a short input is an end of file, not a shorter array. */
    private static byte[] readFully(DataInputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException();
        }
        return b;
    }

    private int readLength(VMStateField f, DataInputStream in) throws IOException, VMStateException {
        if (f.length() >= 0) {
            return f.length();
        }
        long n = Integer.toUnsignedLong(in.readInt());
        if (n > f.maxLength()) {
            throw new VMStateException(name + "." + f.name() + ": length " + n + " exceeds the maximum " + f.maxLength());
        }
        return (int) n;
    }

    private static Object zero(Class<?> t, VMStateField f) {
        if (t == boolean.class) return false;
        if (t == int.class) return 0;
        if (t == long.class) return 0L;
        int n = Math.max(f.length(), 0);
        if (t == byte[].class) return new byte[n];
        if (t == int[].class) return new int[n];
        if (t == long[].class) return new long[n];
        return "";
    }

    private void checkJavaType(VMStateField f, Class<?> t) {
        boolean ok = switch (f.type()) {
            case BOOL -> t == boolean.class;
            case U8, U16, I32 -> t == int.class;
            case U32 -> t == int.class || t == long.class;
            case U64, I64 -> t == long.class;
            case BYTES -> t == byte[].class;
            case U32_ARRAY -> t == int[].class;
            case U64_ARRAY -> t == long[].class;
            case STRING -> t == String.class;
        };
        if (!ok) {
            throw new IllegalArgumentException("VMState " + name + ": field " + f.name() + " of type " + f.type()
                    + " cannot bind to a component of Java type " + t.getSimpleName());
        }
    }

    /** Builds a {@link VMStateDescription}; fields must be declared in record-component order. */
    public static final class Builder<S extends Record> {
        private final String name;
        private final Class<S> type;
        private final List<VMStateField> fields = new ArrayList<>();
        private int version = 1;
        private int minimumVersion = 1;
        private int since = 1;

        private Builder(String name, Class<S> type) {
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
        }

        /** The version saved, and the newest loaded (default 1). */
        public Builder<S> version(int v) { this.version = v; return this; }
        /** The oldest version still loaded (default 1). */
        public Builder<S> minimumVersion(int v) { this.minimumVersion = v; return this; }
        /** Fields declared after this call were added in version {@code v}. */
        public Builder<S> since(int v) { this.since = v; return this; }

        public Builder<S> bool(String field) { return add(field, FieldType.BOOL, 0, 0); }
        public Builder<S> u8(String field) { return add(field, FieldType.U8, 0, 0); }
        public Builder<S> u16(String field) { return add(field, FieldType.U16, 0, 0); }
        public Builder<S> u32(String field) { return add(field, FieldType.U32, 0, 0); }
        public Builder<S> i32(String field) { return add(field, FieldType.I32, 0, 0); }
        public Builder<S> u64(String field) { return add(field, FieldType.U64, 0, 0); }
        public Builder<S> i64(String field) { return add(field, FieldType.I64, 0, 0); }
        public Builder<S> string(String field, int maxBytes) { return add(field, FieldType.STRING, -1, maxBytes); }
        public Builder<S> bytes(String field, int length) { return add(field, FieldType.BYTES, length, length); }
        public Builder<S> bytesVariable(String field, int max) { return add(field, FieldType.BYTES, -1, max); }
        public Builder<S> u32Array(String field, int length) { return add(field, FieldType.U32_ARRAY, length, length); }
        public Builder<S> u32ArrayVariable(String field, int max) { return add(field, FieldType.U32_ARRAY, -1, max); }
        public Builder<S> u64Array(String field, int length) { return add(field, FieldType.U64_ARRAY, length, length); }
        public Builder<S> u64ArrayVariable(String field, int max) { return add(field, FieldType.U64_ARRAY, -1, max); }

        private Builder<S> add(String field, FieldType t, int length, int max) {
            fields.add(new VMStateField(field, t, length, max, since));
            return this;
        }

        public VMStateDescription<S> build() {
            if (minimumVersion < 1 || minimumVersion > version) {
                throw new IllegalArgumentException("VMState " + name + ": minimum version " + minimumVersion
                        + " not in 1.." + version);
            }
            for (VMStateField f : fields) {
                if (f.sinceVersion() > version) {
                    throw new IllegalArgumentException("VMState " + name + ": field " + f.name() + " added in version "
                            + f.sinceVersion() + " after the description's version " + version);
                }
            }
            return new VMStateDescription<>(this);
        }
    }
}
