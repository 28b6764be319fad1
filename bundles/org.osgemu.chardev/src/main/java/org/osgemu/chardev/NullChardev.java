package org.osgemu.chardev;

import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.chardev.ChardevReceiver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** The {@code null} backend ({@code -chardev null}): output vanishes, no input ever arrives. */
@Component(immediate = true, service = Chardev.class, configurationPid = NullChardev.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class NullChardev implements Chardev {

    /** Factory PID of the configurations. */
    public static final String PID = "osgemu.chardev.null";

    /** Configuration of a {@code null} backend. */
    public @interface Config {
        /** Backend id ({@code -chardev null,id=}); required. */
        String id();
    }

    private final String id;

    @Activate
    public NullChardev(Config config) {
        this(Configs.required(PID, "id", config.id()));
    }

    NullChardev(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String backend() {
        return "null";
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        // discarded, as /dev/null would
    }

    @Override
    public void setReceiver(ChardevReceiver receiver) {
        // nothing to deliver
    }
}
