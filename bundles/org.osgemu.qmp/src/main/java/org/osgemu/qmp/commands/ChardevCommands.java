package org.osgemu.qmp.commands;

import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.command.CommandHandler;
import org.osgemu.api.command.CommandProvider;
import org.osgemu.api.device.PlatformDevice;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code query-chardev} of {@code qapi/char.json}: every character device backend with the
 * filename QEMU would show ({@code stdio}, {@code file:PATH}, {@code unix:PATH,server=on}...)
 * and whether a device front end uses it (a device whose configuration names it, as
 * {@code chardev=ID} or the target filter {@code (id=ID)}).
 */
@Component(service = CommandProvider.class)
public final class ChardevCommands implements CommandProvider {

    private final Map<Chardev, Map<String, Object>> chardevs = new LinkedHashMap<>();
    private final DeviceDirectory devices = new DeviceDirectory();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeChardev")
    public synchronized void addChardev(Chardev chardev, Map<String, Object> properties) {
        chardevs.put(chardev, Map.copyOf(properties));
    }

    public synchronized void removeChardev(Chardev chardev) {
        chardevs.remove(chardev);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeDevice")
    public void addDevice(PlatformDevice device, Map<String, Object> properties) {
        devices.add(device, properties);
    }

    public void removeDevice(PlatformDevice device) {
        devices.remove(device);
    }

    @Override
    public URL schema() {
        return ChardevCommands.class.getResource("/qapi/char.json");
    }

    @Override
    public Map<String, CommandHandler> handlers() {
        return Map.of("query-chardev", (c, a) -> list());
    }

    private synchronized List<Map<String, Object>> list() {
        List<Map<String, Object>> list = new ArrayList<>();
        chardevs.forEach((chardev, properties) -> {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("label", chardev.id());
            info.put("filename", filename(chardev.backend(), properties));
            info.put("frontend-open", usedByADevice(chardev.id()));
            list.add(info);
        });
        return list;
    }

    static String filename(String backend, Map<String, Object> properties) {
        Object path = properties.get("path");
        return switch (backend) {
            case "socket" -> "unix:" + path + ",server=on";
            case "file", "pipe", "serial" -> path == null ? backend : backend + ":" + path;
            default -> backend;
        };
    }

    private boolean usedByADevice(String label) {
        for (Map<String, Object> properties : devices.allProperties()) {
            if (label.equals(properties.get("chardev")) || ("(id=" + label + ")").equals(properties.get("chardev.target"))) {
                return true;
            }
        }
        return false;
    }
}
