/* A bare-metal program for osgemu's virt board that runs until it is stopped from outside:
 * prints one line over the NS16550A UART, then waits for interrupts forever (none are
 * enabled, so the hart sleeps and costs no host CPU). For tests that drive a running
 * machine over QMP or the monitor. */
#include <stdint.h>

#include "console.h"

void finish(int status) {
    (void)status;
    for (;;) {
        __asm__ volatile("wfi");
    }
}

int main(void) {
    put_string("osgemu spin: running until stopped\n");
    for (;;) {
        __asm__ volatile("wfi");
    }
    return 0;
}
