package org.osgemu.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgemu.api.machine.MachineActions;

/**
 * Parses a QEMU-style command line ({@code -M virt -m 128M -smp 2 -bios ... -nographic}) into a
 * {@link LaunchPlan}. Every mistake is a {@link CommandLineException} whose message names the
 * option and the bad value, as QEMU's one-line errors do.
 */
final class CommandLine {

    /** Debian's OpenSBI, the firmware used when {@code -bios} is absent (as QEMU does). */
    static final Path DEFAULT_BIOS = Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin");

    static final String USAGE = """
            usage: osgemu [options]
              -M, -machine TYPE     board type (virt); -M help lists them
              -m SIZE               guest RAM, e.g. 128M, 2G (a plain number is MiB)
              -cpu rv64             the hart (RV64IMAFDC, Zicsr, Zifencei, Sstc); -cpu help lists the models
              -accel tcg            what osgemu is, an interpreter (also -M virt,accel=tcg); there is no kvm
              -smp N                number of harts
              -bios FILE|none       firmware (default: Debian's OpenSBI fw_dynamic.bin)
              -kernel FILE          kernel: ELF or raw image
              -initrd FILE          initial ramdisk
              -append CMDLINE       kernel command line
              -dtb FILE             give the firmware this device tree instead of the board's (used as is)
              -nographic            no display; the serial console and the monitor share stdio
                                    (-serial mon:stdio) unless -serial, -monitor, -mon or -qmp is given;
                                    Ctrl-A h lists the keys (Ctrl-A c: console/monitor, Ctrl-A x: exit)
              -serial DEV           stdio, mon:stdio, null, none, file:PATH or chardev:ID
              -chardev BACKEND,id=ID[,mux=on][,...]  stdio, null, file (path=), ringbuf (size=);
                                    mux=on shares it between -serial chardev:ID and -mon chardev=ID
              -monitor DEV          human monitor (Gogo shell): stdio, unix:PATH,server=on,wait=off,
                                    tcp:HOST:PORT,server=on,wait=off, or none
              -qmp DEV              QMP server: unix:PATH,server=on,wait=off or tcp:HOST:PORT,server=on,wait=off
              -chardev socket,id=ID,path=PATH,server=on,wait=off  with -mon chardev=ID,mode=control|readline
              -drive file=PATH,format=raw,if=none,id=ID[,readonly=on]   a raw disk image (if=virtio adds the device)
              -netdev socket,id=ID,listen=[HOST]:PORT|connect=HOST:PORT  a link compatible with QEMU's
              -device DRIVER[,prop=value...]  add a device; -device help lists the drivers
              -name NAME            machine name (default machine0)
              -S                    do not start the CPUs (use 'cont' in the monitor)
              -no-reboot            exit (status 0) when the guest resets instead of resetting it
              -no-shutdown          when the guest powers off, stop in state shutdown (quit ends it)
              -incoming URI         take the state from file:PATH (a snapshot), tcp:HOST:PORT or unix:PATH
                                    (a live migration), or defer (wait for migrate-incoming)
              -version, -h          version, this help
            """;

    private CommandLine() {}

    static LaunchPlan parse(List<String> args) throws CommandLineException {
        String machineType = "virt";
        String name = "machine0";
        long ram = 128L << 20;
        int cpus = 1;
        Optional<Path> bios = Optional.of(DEFAULT_BIOS);
        Optional<Path> kernel = Optional.empty();
        Optional<Path> initrd = Optional.empty();
        Optional<Path> dtb = Optional.empty();
        String append = "";
        boolean paused = false;
        boolean noReboot = false;
        boolean noShutdown = false;
        boolean nographic = false;
        String serial = null;
        ChardevMuxes muxes = new ChardevMuxes();
        Map<String, LaunchPlan.Backend> chardevs = new LinkedHashMap<>();
        List<LaunchPlan.DeviceSpec> devices = new ArrayList<>();
        List<String> monitorArgs = new ArrayList<>();
        List<String> qmpArgs = new ArrayList<>();
        List<String> monArgs = new ArrayList<>();
        Map<String, LaunchPlan.Backend> backends = new LinkedHashMap<>();
        Map<String, String> virtioDrives = new LinkedHashMap<>();
        LaunchPlan.Action action = LaunchPlan.Action.RUN;
        Optional<String> incoming = Optional.empty();

        for (int i = 0; i < args.size(); i++) {
            String opt = args.get(i);
            String key = opt.startsWith("--") ? opt.substring(1) : opt;
            if (!key.startsWith("-") || key.length() < 2) {
                throw new CommandLineException(opt + ": not an option (options start with '-'; try -h)");
            }
            switch (key) {
                case "-h", "-help" -> action = LaunchPlan.Action.HELP;
                case "-version" -> action = LaunchPlan.Action.VERSION;
                case "-nographic" -> nographic = true;
                case "-S" -> paused = true;
                case "-no-reboot" -> noReboot = true;
                case "-no-shutdown" -> noShutdown = true;
                default -> {
                    if (i + 1 >= args.size()) {
                        if (isKnownWithArgument(key)) {
                            throw new CommandLineException(opt + ": requires an argument");
                        }
                        throw new CommandLineException(opt + ": invalid option");
                    }
                    String value = args.get(++i);
                    switch (key) {
                        case "-M", "-machine" -> {
                            OptionList o = OptionList.parse(opt, value, "type");
                            if ("help".equals(o.head())) {
                                action = LaunchPlan.Action.LIST_MACHINES;
                            }
                            machineType = requireHead(opt, value, o.head());
                            String accel = o.take("accel", null);
                            if (accel != null) {
                                CpuAndAccel.checkMachineAccel(opt + " " + value, accel);
                            }
                            o.requireEmpty("machine " + machineType);
                        }
                        case "-m" -> ram = parseRam(opt, value);
                        case "-cpu" -> {
                            if (value.equals("help")) {
                                action = LaunchPlan.Action.LIST_CPUS;
                            } else {
                                CpuAndAccel.checkCpu(opt, value);
                            }
                        }
                        case "-accel" -> {
                            if (value.equals("help")) {
                                action = LaunchPlan.Action.LIST_ACCELERATORS;
                            } else {
                                CpuAndAccel.checkAccel(opt, value);
                            }
                        }
                        case "-smp" -> cpus = parseSmp(opt, value);
                        case "-bios" -> bios = switch (value) {
                            case "none" -> Optional.empty();
                            case "default" -> Optional.of(DEFAULT_BIOS);
                            default -> Optional.of(path(opt, value));
                        };
                        case "-kernel" -> kernel = Optional.of(path(opt, value));
                        case "-initrd" -> initrd = Optional.of(path(opt, value));
                        case "-dtb" -> dtb = Optional.of(path(opt, value));
                        case "-append" -> append = value;
                        case "-name" -> name = parseName(opt, value);
                        case "-serial" -> {
                            if (serial != null) {
                                throw new CommandLineException(opt + " " + value + ": the virt board has one UART, already given -serial " + serial);
                            }
                            serial = value;
                        }
                        case "-chardev" -> {
                            LaunchPlan.Backend b = parseChardev(opt, value, muxes);
                            String id = b.properties().get("id");
                            if (chardevs.put(id, b) != null) {
                                throw new CommandLineException(opt + " " + value + ": a chardev with id '" + id + "' exists already");
                            }
                        }
                        case "-device" -> {
                            OptionList o = OptionList.parse(opt, value, "driver");
                            String driver = requireHead(opt, value, o.head());
                            if (driver.equals("help")) {
                                action = LaunchPlan.Action.LIST_DEVICES;
                                continue;
                            }
                            String id = o.take("id", driver + "." + devices.size());
                            Map<String, String> props = new LinkedHashMap<>(o.values());
                            for (LaunchPlan.DeviceSpec d : devices) {
                                if (d.id().equals(id)) {
                                    throw new CommandLineException(opt + " " + value + ": duplicate id '" + id + "'");
                                }
                            }
                            devices.add(new LaunchPlan.DeviceSpec(driver, id, props, opt + " " + value));
                        }
                        case "-monitor" -> monitorArgs.add(value);
                        case "-qmp" -> qmpArgs.add(value);
                        case "-incoming" -> {
                            if (incoming.isPresent()) {
                                throw new CommandLineException(opt + " " + value + ": -incoming is given twice");
                            }
                            if (!value.matches("[a-z]+:.+|defer")) {
                                throw new CommandLineException(opt + " " + value + ": expected a URI such as file:PATH");
                            }
                            incoming = Optional.of(value);
                        }
                        case "-mon" -> monArgs.add(value);
                        case "-drive" -> {
                            LaunchPlan.Backend d = parseDrive(opt, value, backends.size());
                            String id = d.properties().get("id");
                            if (backends.put(id, d) != null) {
                                throw new CommandLineException(opt + " " + value + ": a backend with id '" + id + "' exists already");
                            }
                            if ("virtio".equals(d.properties().get("if"))) {
                                virtioDrives.put(id, d.option());
                            }
                            d.properties().remove("if");
                        }
                        case "-netdev" -> {
                            LaunchPlan.Backend n = parseNetdev(opt, value);
                            String id = n.properties().get("id");
                            if (backends.put(id, n) != null) {
                                throw new CommandLineException(opt + " " + value + ": a backend with id '" + id + "' exists already");
                            }
                        }
                        case "-display" -> {
                            if (!value.equals("none")) {
                                throw new CommandLineException(opt + " " + value + ": no display backends; use -display none or -nographic");
                            }
                        }
                        default -> throw new CommandLineException(opt + ": invalid option");
                    }
                }
            }
        }

        for (LaunchPlan.Backend b : backends.values()) {
            if (b.pid().startsWith("osgemu.block.")) {
                // the migration finds the machine's drives by this property
                b.properties().put("machine", name);
                if (incoming.isPresent()) {
                    // QEMU's inactive images: the source may still run on the same file; the migration activates them
                    b.properties().put("inactive", "true");
                }
            }
        }
        virtioDrives.forEach((drive, option) -> devices.add(new LaunchPlan.DeviceSpec("virtio-blk-device", "virtio-disk." + drive,
                new LinkedHashMap<>(Map.of("drive", drive)), option)));
        String serialOption = serial == null ? "-nographic" : "-serial " + serial;
        if (nographic && serial == null && monitorArgs.isEmpty() && monArgs.isEmpty() && qmpArgs.isEmpty()) {
            serial = "mon:stdio"; // QEMU's -nographic: the console and the monitor share stdio
        }
        List<LaunchPlan.Backend> servers = new ArrayList<>();
        for (String m : monArgs) {
            parseMon(m, chardevs, servers, muxes);
        }
        if (serial != null && serial.startsWith("mon:")) {
            serial = addCompatMonitor(serial, serialOption, chardevs, servers, muxes);
        }
        for (LaunchPlan.Backend c : chardevs.values()) {
            if (c.pid().equals("osgemu.chardev.socket")) {
                throw new CommandLineException("-chardev socket,id=" + c.properties().get("id")
                        + ": socket chardevs serve only -mon so far; use it with -mon chardev=" + c.properties().get("id"));
            }
        }
        String serialBackend = serial == null ? "stdio" : serial;
        addSerial(serialBackend, chardevs, muxes);
        for (String m : monitorArgs) {
            parseServer("-monitor", m, "osgemu.monitor", "monitor", chardevs, servers);
        }
        for (String q : qmpArgs) {
            parseServer("-qmp", q, "osgemu.qmp", "qmp", chardevs, servers);
        }
        muxes.plan(chardevs);
        List<LaunchPlan.DeviceSpec> linked = new ArrayList<>();
        for (LaunchPlan.DeviceSpec d : devices) {
            linked.add(linkBackends(d, backends, chardevs));
        }
        return new LaunchPlan(action, machineType, name, ram, cpus, bios, kernel, initrd, append, paused,
                chardevs, List.copyOf(backends.values()), linked, servers, incoming, dtb,
                new MachineActions(noReboot, noShutdown));
    }

    private static boolean isKnownWithArgument(String key) {
        return switch (key) {
            case "-M", "-machine", "-m", "-cpu", "-accel", "-smp", "-bios", "-kernel", "-initrd", "-dtb", "-append", "-name", "-serial",
                 "-chardev", "-device", "-monitor", "-display", "-qmp", "-mon", "-drive", "-netdev", "-incoming" -> true;
            default -> false;
        };
    }

    private static String requireHead(String opt, String value, String head) throws CommandLineException {
        if (head == null || head.isEmpty()) {
            throw new CommandLineException(opt + " " + value + ": the first item must name the type");
        }
        return head;
    }

    private static Path path(String opt, String value) throws CommandLineException {
        if (value.isEmpty()) {
            throw new CommandLineException(opt + ": empty file name");
        }
        return Path.of(value);
    }

    private static String parseName(String opt, String value) throws CommandLineException {
        String n = value.startsWith("guest=") ? value.substring(6) : value;
        if (!n.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new CommandLineException(opt + " " + value + ": a name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return n;
    }

    /** QEMU's size syntax: a number with an optional K, M, G or T suffix; no suffix means MiB for -m. */
    static long parseRam(String opt, String value) throws CommandLineException {
        String v = value.startsWith("size=") ? value.substring(5) : value;
        long size = parseSize(opt, v, 1L << 20);
        if (size < 16L << 20) {
            throw new CommandLineException(opt + " " + value + ": at least 16M of RAM is needed");
        }
        if (size > 1L << 40) {
            throw new CommandLineException(opt + " " + value + ": more than 1T of RAM is not supported");
        }
        if (size % 4096 != 0) {
            throw new CommandLineException(opt + " " + value + ": RAM size must be a multiple of 4K");
        }
        return size;
    }

    static long parseSize(String opt, String v, long defaultUnit) throws CommandLineException {
        String s = v.trim();
        if (s.endsWith("B") || s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
            throw new CommandLineException(opt + " " + v + ": not a size");
        }
        long unit = defaultUnit;
        char last = Character.toUpperCase(s.charAt(s.length() - 1));
        switch (last) {
            case 'K' -> unit = 1L << 10;
            case 'M' -> unit = 1L << 20;
            case 'G' -> unit = 1L << 30;
            case 'T' -> unit = 1L << 40;
            default -> { }
        }
        if (!Character.isDigit(last)) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            double number = Double.parseDouble(s);
            if (!s.matches("[0-9]+(\\.[0-9]+)?") || number <= 0) {
                throw new NumberFormatException();
            }
            double bytes = number * unit;
            if (bytes > Long.MAX_VALUE) {
                throw new CommandLineException(opt + " " + v + ": size too large");
            }
            return (long) bytes;
        } catch (NumberFormatException e) {
            throw new CommandLineException(opt + " " + v + ": not a size (use e.g. 512M or 2G)");
        }
    }

    private static int parseSmp(String opt, String value) throws CommandLineException {
        OptionList o = OptionList.parse(opt, value, "cpus");
        String cpus = o.head() != null ? o.head() : o.take("cpus", "1");
        for (String k : List.of("sockets", "cores", "threads", "maxcpus")) {
            o.take(k, null);
        }
        o.requireEmpty("-smp");
        try {
            int n = Integer.parseInt(cpus);
            if (n < 1 || n > 512) {
                throw new CommandLineException(opt + " " + value + ": the number of CPUs must be 1 to 512");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new CommandLineException(opt + " " + value + ": '" + cpus + "' is not a number of CPUs");
        }
    }

    private static LaunchPlan.Backend parseChardev(String opt, String value, ChardevMuxes muxes) throws CommandLineException {
        OptionList o = OptionList.parse(opt, value, "backend");
        String backend = requireHead(opt, value, o.head());
        String id = o.take("id", null);
        if (id == null || id.isEmpty()) {
            throw new CommandLineException(opt + " " + value + ": needs id=");
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("id", id);
        switch (backend) {
            case "stdio", "null" -> { }
            case "file" -> props.put("path", requireValue(opt, value, o.take("path", null), "path"));
            case "ringbuf" -> props.put("size", o.take("size", "65536"));
            case "socket" -> {
                props.put("path", requireValue(opt, value, o.take("path", null), "path"));
                if (!isOn(o.take("server", "off"))) {
                    throw new CommandLineException(opt + " " + value + ": only server=on is supported");
                }
                if (isOn(o.take("wait", "on"))) {
                    throw new CommandLineException(opt + " " + value + ": wait=on is not supported; use wait=off");
                }
            }
            default -> throw new CommandLineException(opt + " " + value + ": unknown chardev backend '" + backend
                    + "' (stdio, null, file, ringbuf, socket)");
        }
        boolean mux = isOn(o.take("mux", "off"));
        if (mux && backend.equals("socket")) {
            throw new CommandLineException(opt + " " + value + ": mux=on is not supported on socket chardevs");
        }
        o.requireEmpty("chardev backend " + backend);
        muxes.declare(id, mux);
        return new LaunchPlan.Backend("osgemu.chardev." + backend, props, opt + " " + value);
    }

    private static String requireValue(String opt, String value, String v, String key) throws CommandLineException {
        if (v == null || v.isEmpty()) {
            throw new CommandLineException(opt + " " + value + ": needs " + key + "=");
        }
        return v;
    }

    /**
     * {@code -serial mon:stdio}, as QEMU spells it out: {@code -chardev stdio,mux=on,id=compat_monitor0
     * -serial chardev:compat_monitor0 -mon chardev=compat_monitor0}. Returns the new {@code -serial} value.
     */
    private static String addCompatMonitor(String serial, String option, Map<String, LaunchPlan.Backend> chardevs,
                                           List<LaunchPlan.Backend> servers, ChardevMuxes muxes) throws CommandLineException {
        if (!serial.equals("mon:stdio")) {
            throw new CommandLineException("-serial " + serial + ": only mon:stdio is supported for a serial port shared with the monitor");
        }
        String id = ChardevMuxes.COMPAT_MONITOR;
        if (chardevs.containsKey(id)) {
            throw new CommandLineException(option + ": chardev id '" + id + "' is reserved for the monitor on stdio");
        }
        chardevs.put(id, new LaunchPlan.Backend("osgemu.chardev.stdio", new LinkedHashMap<>(Map.of("id", id)), option));
        muxes.declare(id, true);
        servers.add(ChardevMuxes.monitorServer("monitor" + servers.size(), muxes.attachMonitor(id), option));
        return "chardev:" + id;
    }

    private static void addSerial(String value, Map<String, LaunchPlan.Backend> chardevs, ChardevMuxes muxes)
            throws CommandLineException {
        String opt = "-serial";
        if (value.startsWith("chardev:")) {
            String id = value.substring(8);
            LaunchPlan.Backend b = chardevs.get(id);
            if (b == null) {
                throw new CommandLineException(opt + " " + value + ": no -chardev with id '" + id + "'");
            }
            if (muxes.isMux(id)) {
                muxes.attachSerial(id); // the mux makes the UART a front end named serial0
                return;
            }
            chardevs.remove(id);
            Map<String, String> props = new LinkedHashMap<>(b.properties());
            props.put("id", "serial0");
            chardevs.put("serial0", new LaunchPlan.Backend(b.pid(), props, b.option()));
            return;
        }
        if (chardevs.containsKey("serial0")) {
            throw new CommandLineException(opt + " " + value + ": chardev id 'serial0' is reserved for the serial port");
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("id", "serial0");
        String pid;
        if (value.equals("stdio")) {
            pid = "osgemu.chardev.stdio";
        } else if (value.equals("null") || value.equals("none")) {
            pid = "osgemu.chardev.null";
        } else if (value.startsWith("file:") && value.length() > 5) {
            pid = "osgemu.chardev.file";
            props.put("path", value.substring(5));
        } else {
            throw new CommandLineException(opt + " " + value + ": unknown serial device (stdio, null, none, file:PATH, chardev:ID)");
        }
        chardevs.put("serial0", new LaunchPlan.Backend(pid, props, opt + " " + value));
    }

    private static void parseServer(String opt, String value, String pid, String kind, Map<String, LaunchPlan.Backend> chardevs,
                                    List<LaunchPlan.Backend> servers) throws CommandLineException {
        if (value.equals("none")) {
            return;
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("id", kind + servers.size());
        if (value.equals("stdio")) {
            for (LaunchPlan.Backend b : chardevs.values()) {
                if (b.pid().equals("osgemu.chardev.stdio")) {
                    throw new CommandLineException(opt + " stdio: stdio is already used by chardev '" + b.properties().get("id")
                            + "'; add -serial none (or -serial file:PATH) to give stdio to the monitor");
                }
            }
            props.put("transport", "stdio");
        } else {
            int colon = value.indexOf(':');
            if (colon < 0) {
                throw new CommandLineException(opt + " " + value + ": unknown " + kind + " device (stdio, unix:PATH,server=on,wait=off, tcp:HOST:PORT,server=on,wait=off, none)");
            }
            String transport = value.substring(0, colon);
            OptionList o = OptionList.parse(opt, value.substring(colon + 1), "address");
            String address = requireHead(opt, value, o.head());
            String server = o.take("server", "on");
            String wait = o.take("wait", "off");
            o.requireEmpty(kind + " socket");
            if (!isOn(server)) {
                throw new CommandLineException(opt + " " + value + ": only server=on is supported");
            }
            if (isOn(wait)) {
                throw new CommandLineException(opt + " " + value + ": wait=on is not supported; use wait=off");
            }
            switch (transport) {
                case "unix" -> {
                    props.put("transport", "unix");
                    props.put("path", address);
                }
                case "tcp", "telnet" -> {
                    int c = address.lastIndexOf(':');
                    if (c < 0) {
                        throw new CommandLineException(opt + " " + value + ": expected HOST:PORT");
                    }
                    String host = address.substring(0, c).isEmpty() ? "127.0.0.1" : address.substring(0, c);
                    String port = address.substring(c + 1);
                    try {
                        int p = Integer.parseInt(port);
                        if (p < 0 || p > 65535) throw new NumberFormatException();
                    } catch (NumberFormatException e) {
                        throw new CommandLineException(opt + " " + value + ": '" + port + "' is not a TCP port");
                    }
                    props.put("transport", "tcp");
                    props.put("host", host);
                    props.put("port", port);
                }
                default -> throw new CommandLineException(opt + " " + value + ": unknown " + kind + " transport '" + transport + "'");
            }
        }
        servers.add(new LaunchPlan.Backend(pid, props, opt + " " + value));
    }

    private static boolean isOn(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "on", "yes", "true", "" -> true;
            default -> false;
        };
    }

    private static LaunchPlan.Backend parseDrive(String opt, String value, int index) throws CommandLineException {
        OptionList o = OptionList.parse(opt, value, null);
        String file = requireValue(opt, value, o.take("file", null), "file");
        String format = o.take("format", "raw");
        if (!format.equals("raw")) {
            throw new CommandLineException(opt + " " + value + ": format '" + format + "' is not supported (raw only)");
        }
        String iface = o.take("if", "none");
        if (!iface.equals("none") && !iface.equals("virtio")) {
            throw new CommandLineException(opt + " " + value + ": if=" + iface + " is not supported (none, virtio)");
        }
        String id = o.take("id", iface.equals("none") ? null : "drive" + index);
        if (id == null || id.isEmpty()) {
            throw new CommandLineException(opt + " " + value + ": if=none needs id=");
        }
        String readonly = o.take("readonly", "off");
        o.take("cache", null);
        o.take("media", null);
        String discard = o.take("discard", "unmap");
        o.requireEmpty("drive");
        if (!java.nio.file.Files.exists(Path.of(file))) {
            throw new CommandLineException(opt + " " + value + ": " + file + ": no such file");
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("id", id);
        props.put("file", Path.of(file).toAbsolutePath().toString());
        props.put("readonly", String.valueOf(isOn(readonly)));
        props.put("discard", discard);
        props.put("if", iface);
        return new LaunchPlan.Backend("osgemu.block.raw", props, opt + " " + value);
    }

    private static LaunchPlan.Backend parseNetdev(String opt, String value) throws CommandLineException {
        OptionList o = OptionList.parse(opt, value, "type");
        String type = requireHead(opt, value, o.head());
        String id = o.take("id", null);
        if (id == null || id.isEmpty()) {
            throw new CommandLineException(opt + " " + value + ": needs id=");
        }
        if (!type.equals("socket")) {
            throw new CommandLineException(opt + " " + value + ": netdev type '" + type + "' is not supported (socket)");
        }
        String listen = o.take("listen", null);
        String connect = o.take("connect", null);
        o.requireEmpty("netdev socket");
        if ((listen == null) == (connect == null)) {
            throw new CommandLineException(opt + " " + value + ": give exactly one of listen=[HOST]:PORT or connect=HOST:PORT");
        }
        String address = listen != null ? listen : connect;
        int colon = address.lastIndexOf(':');
        if (colon < 0 || !address.substring(colon + 1).matches("[0-9]{1,5}") || Integer.parseInt(address.substring(colon + 1)) > 65535) {
            throw new CommandLineException(opt + " " + value + ": '" + address + "' is not [HOST]:PORT");
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("id", id);
        props.put(listen != null ? "listen" : "connect", address);
        return new LaunchPlan.Backend("osgemu.netdev.socket", props, opt + " " + value);
    }

    private static void parseMon(String value, Map<String, LaunchPlan.Backend> chardevs, List<LaunchPlan.Backend> servers,
                                 ChardevMuxes muxes) throws CommandLineException {
        String opt = "-mon";
        OptionList o = OptionList.parse(opt, value, "chardev");
        String chardev = requireHead(opt, value, o.head());
        String mode = o.take("mode", "readline");
        o.take("pretty", null);
        o.requireEmpty("mon");
        LaunchPlan.Backend c = chardevs.get(chardev);
        if (c == null) {
            throw new CommandLineException(opt + " " + value + ": no -chardev with id '" + chardev + "'");
        }
        if (muxes.isMux(chardev)) {
            if (mode.equals("control")) {
                throw new CommandLineException(opt + " " + value + ": QMP cannot share a multiplexed chardev; give it a socket chardev");
            }
            if (!mode.equals("readline")) {
                throw new CommandLineException(opt + " " + value + ": mode must be control or readline");
            }
            servers.add(ChardevMuxes.monitorServer("monitor" + servers.size(), muxes.attachMonitor(chardev), opt + " " + value));
            return;
        }
        String pid = switch (mode) {
            case "control" -> "osgemu.qmp";
            case "readline" -> "osgemu.monitor";
            default -> throw new CommandLineException(opt + " " + value + ": mode must be control or readline");
        };
        Map<String, String> props = new LinkedHashMap<>();
        props.put("id", chardev);
        if (c.pid().equals("osgemu.chardev.socket")) {
            props.put("transport", "unix");
            props.put("path", c.properties().get("path"));
        } else if (c.pid().equals("osgemu.chardev.stdio")) {
            props.put("transport", "stdio");
        } else {
            throw new CommandLineException(opt + " " + value + ": a monitor needs a socket or stdio chardev, not " + c.pid());
        }
        chardevs.remove(chardev);
        servers.add(new LaunchPlan.Backend(pid, props, opt + " " + value));
    }

    /** Adds {@code drive.target=(id=X)} style filters for backend references, after checking they exist. */
    private static LaunchPlan.DeviceSpec linkBackends(LaunchPlan.DeviceSpec d, Map<String, LaunchPlan.Backend> backends,
                                                      Map<String, LaunchPlan.Backend> chardevs) throws CommandLineException {
        Map<String, String> props = new LinkedHashMap<>(d.properties());
        for (String ref : LaunchPlan.DeviceSpec.BACKEND_REFERENCES) {
            String target = props.get(ref);
            if (target == null) {
                continue;
            }
            boolean known = ref.equals("chardev") ? chardevs.containsKey(target)
                    : backends.containsKey(target) && backends.get(target).pid().startsWith(ref.equals("drive") ? "osgemu.block." : "osgemu.netdev.");
            if (!known) {
                throw new CommandLineException("-device " + d.driver() + "," + ref + "=" + target + ": no -" + ref + " with id '" + target + "'");
            }
            if (ref.equals("chardev") && chardevs.get(target).pid().equals(ChardevMuxes.MUX_PID)) {
                throw new CommandLineException("-device " + d.driver() + ",chardev=" + target
                        + ": a multiplexed chardev serves -serial and -mon only");
            }
            props.put(ref + ".target", "(id=" + target + ")");
        }
        return new LaunchPlan.DeviceSpec(d.driver(), d.id(), props, d.option());
    }
}
