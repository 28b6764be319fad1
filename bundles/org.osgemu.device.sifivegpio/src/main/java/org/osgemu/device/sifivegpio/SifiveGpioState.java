package org.osgemu.device.sifivegpio;

import org.osgemu.api.vmstate.VMStateDescription;

/**
 * Migration state of the SiFive GPIO controller: the registers the guest writes (one bit per
 * pin) and the power key. The input value and the interrupt lines are not part of it: both follow
 * from the rest and are computed again after loading.
 *
 * @param inputEn pins whose input is sampled ({@code input_en})
 * @param outputEn pins driven by the controller ({@code output_en})
 * @param outputVal levels of the driven pins before {@code out_xor} ({@code output_val})
 * @param pue pins pulled up while nothing drives them ({@code pue})
 * @param ds drive strength bits ({@code ds})
 * @param riseIe rising-edge interrupt enables
 * @param riseIp rising edges seen and not cleared
 * @param fallIe falling-edge interrupt enables
 * @param fallIp falling edges seen and not cleared
 * @param highIe high-level interrupt enables
 * @param highIp high levels seen and not cleared
 * @param lowIe low-level interrupt enables
 * @param lowIp low levels seen and not cleared
 * @param iofEn hardware-function enables ({@code iof_en})
 * @param iofSel hardware-function selects ({@code iof_sel})
 * @param outXor output inversions ({@code out_xor})
 * @param keyPressed whether the power key holds its pin high
 * @param keyPressedAt when it was pressed, in virtual-clock nanoseconds
 * @param keySeen whether the guest read the pressed level since
 */
public record SifiveGpioState(int inputEn, int outputEn, int outputVal, int pue, int ds,
                              int riseIe, int riseIp, int fallIe, int fallIp,
                              int highIe, int highIp, int lowIe, int lowIp,
                              int iofEn, int iofSel, int outXor,
                              boolean keyPressed, long keyPressedAt, boolean keySeen) {

    /** Version 1. */
    public static final VMStateDescription<SifiveGpioState> VMSTATE =
            VMStateDescription.builder(SifiveGpioDevice.TYPE, SifiveGpioState.class)
                    .version(1)
                    .u32("inputEn").u32("outputEn").u32("outputVal").u32("pue").u32("ds")
                    .u32("riseIe").u32("riseIp").u32("fallIe").u32("fallIp")
                    .u32("highIe").u32("highIp").u32("lowIe").u32("lowIp")
                    .u32("iofEn").u32("iofSel").u32("outXor")
                    .bool("keyPressed").u64("keyPressedAt").bool("keySeen")
                    .build();
}
