package org.osgemu.migration;

/** Migration state of a {@link FakeDevice}. */
public record FakeDeviceState(int value) {
}
