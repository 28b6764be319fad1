package org.osgemu.device.sifivegpio;

import org.osgemu.api.device.RegisterMap;

/**
 * Register layout of the SiFive GPIO controller (FU540-C000 manual, chapter "General Purpose
 * Input/Output Controller"; Linux {@code drivers/gpio/gpio-sifive.c}): seventeen 32-bit
 * registers with one bit per pin. The four {@code *_ip} registers are write-one-to-clear.
 */
final class SifiveGpioRegisters {

    /** Size of the MMIO window. */
    static final long SIZE = 0x1000;
    /** Pins of the controller, as QEMU's {@code sifive_gpio} default and the FU540 have. */
    static final int PINS = 16;
    /** The bits of the pins that exist; the others read 0 and ignore writes. */
    static final int PIN_MASK = (1 << PINS) - 1;

    static final String INPUT_VAL = "input_val";
    static final String INPUT_EN = "input_en";
    static final String OUTPUT_EN = "output_en";
    static final String OUTPUT_VAL = "output_val";
    static final String PUE = "pue";
    static final String DS = "ds";
    static final String RISE_IE = "rise_ie";
    static final String RISE_IP = "rise_ip";
    static final String FALL_IE = "fall_ie";
    static final String FALL_IP = "fall_ip";
    static final String HIGH_IE = "high_ie";
    static final String HIGH_IP = "high_ip";
    static final String LOW_IE = "low_ie";
    static final String LOW_IP = "low_ip";
    static final String IOF_EN = "iof_en";
    static final String IOF_SEL = "iof_sel";
    static final String OUT_XOR = "out_xor";

    static final int INPUT_VAL_OFFSET = 0x00;
    static final int INPUT_EN_OFFSET = 0x04;
    static final int OUTPUT_EN_OFFSET = 0x08;
    static final int OUTPUT_VAL_OFFSET = 0x0C;
    static final int PUE_OFFSET = 0x10;
    static final int DS_OFFSET = 0x14;
    static final int RISE_IE_OFFSET = 0x18;
    static final int RISE_IP_OFFSET = 0x1C;
    static final int FALL_IE_OFFSET = 0x20;
    static final int FALL_IP_OFFSET = 0x24;
    static final int HIGH_IE_OFFSET = 0x28;
    static final int HIGH_IP_OFFSET = 0x2C;
    static final int LOW_IE_OFFSET = 0x30;
    static final int LOW_IP_OFFSET = 0x34;
    static final int IOF_EN_OFFSET = 0x38;
    static final int IOF_SEL_OFFSET = 0x3C;
    static final int OUT_XOR_OFFSET = 0x40;

    private SifiveGpioRegisters() {
    }

    /**
     * The register map. {@code input_val} is computed from the pins when read; every write that
     * may move a pin or an interrupt calls {@code pinsChanged}, and writes to {@code output_en}
     * also call {@code outputsEnabled} with the new value.
     */
    static RegisterMap declare(RegisterMap.ReadHook inputValue, Runnable pinsChanged, RegisterMap.WriteHook outputsEnabled) {
        RegisterMap.WriteHook changed = (index, value) -> pinsChanged.run();
        RegisterMap.WriteHook outputEnable = (index, value) -> {
            outputsEnabled.written(index, value);
            pinsChanged.run();
        };
        return RegisterMap.builder(SifiveGpioDevice.TYPE)
                .register(INPUT_VAL, INPUT_VAL_OFFSET, 4).onRead(inputValue).add()
                .register(INPUT_EN, INPUT_EN_OFFSET, 4).writeMask(PIN_MASK).onWrite(changed).add()
                .register(OUTPUT_EN, OUTPUT_EN_OFFSET, 4).writeMask(PIN_MASK).onWrite(outputEnable).add()
                .register(OUTPUT_VAL, OUTPUT_VAL_OFFSET, 4).writeMask(PIN_MASK).onWrite(changed).add()
                .register(PUE, PUE_OFFSET, 4).writeMask(PIN_MASK).onWrite(changed).add()
                // kept for the guest to read back; no pin behaviour depends on it
                .register(DS, DS_OFFSET, 4).writeMask(PIN_MASK).add()
                .register(RISE_IE, RISE_IE_OFFSET, 4).writeMask(PIN_MASK).onWrite(changed).add()
                .register(RISE_IP, RISE_IP_OFFSET, 4).w1c(PIN_MASK).onWrite(changed).add()
                .register(FALL_IE, FALL_IE_OFFSET, 4).writeMask(PIN_MASK).onWrite(changed).add()
                .register(FALL_IP, FALL_IP_OFFSET, 4).w1c(PIN_MASK).onWrite(changed).add()
                .register(HIGH_IE, HIGH_IE_OFFSET, 4).writeMask(PIN_MASK).onWrite(changed).add()
                .register(HIGH_IP, HIGH_IP_OFFSET, 4).w1c(PIN_MASK).onWrite(changed).add()
                .register(LOW_IE, LOW_IE_OFFSET, 4).writeMask(PIN_MASK).onWrite(changed).add()
                .register(LOW_IP, LOW_IP_OFFSET, 4).w1c(PIN_MASK).onWrite(changed).add()
                // the hardware functions (IOF) are not modelled: kept for reading back only
                .register(IOF_EN, IOF_EN_OFFSET, 4).writeMask(PIN_MASK).add()
                .register(IOF_SEL, IOF_SEL_OFFSET, 4).writeMask(PIN_MASK).add()
                .register(OUT_XOR, OUT_XOR_OFFSET, 4).writeMask(PIN_MASK).onWrite(changed).add()
                .build();
    }
}
