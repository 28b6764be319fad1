package org.osgemu.core.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.osgemu.api.memory.DirtyClient;

/**
 * A store racing with a client that clears its bit must never leave the page looking dirty to
 * stores (its summary bit) while the client's bit is clear: every later store would then go
 * unrecorded, and a migration would never send the page again.
 */
class DirtyBitmapsRaceTest {

    @Test
    void aStoreAfterTheLastClearIsAlwaysRecordedHoweverStoresAndClearsInterleave() throws Exception {
        for (int round = 0; round < 200; round++) {
            DirtyBitmaps bitmaps = new DirtyBitmaps(64);
            AtomicBoolean stop = new AtomicBoolean();
            Thread store = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    bitmaps.set(5);
                }
            });
            int client = DirtyClient.MIGRATION.ordinal();
            for (int i = 0; i < 20_000; i++) {
                bitmaps.testAndClear(client, 5);
            }
            stop.set(true);
            store.join();
            bitmaps.testAndClear(client, 5);
            bitmaps.set(5); // the last store, after the last clear

            assertTrue(bitmaps.get(client, 5), "round " + round + ": a store after the clear went unrecorded");
        }
    }
}
