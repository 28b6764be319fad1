package org.osgemu.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The host's check of a diskwriter image finds what a migration could do wrong to the disk. */
public class DiskWriterImageTest {

    private static final int BLOCKS = 16;
    private Path image;

    @Before
    public void createImage() throws IOException {
        image = Files.createTempFile("diskwriter", ".raw");
        try (FileChannel f = FileChannel.open(image, StandardOpenOption.WRITE)) {
            f.truncate(0);
            f.write(ByteBuffer.allocate(BLOCKS * 2 * DiskWriterImage.BLOCK_SIZE), 0);
        }
    }

    @After
    public void deleteImage() throws IOException {
        Files.deleteIfExists(image);
    }

    @Test
    public void writesThatWrappedAroundReadAsOneRunUpToTheLast() throws IOException {
        writes(0, 40);

        DiskWriterImage.Contents contents = DiskWriterImage.check(image, BLOCKS, true);

        assertEquals(39, contents.lastSeq());
        assertEquals(BLOCKS, contents.written());
    }

    @Test
    public void anEmptyImageHoldsNoWrite() throws IOException {
        assertEquals(-1, DiskWriterImage.check(image, BLOCKS, true).lastSeq());
    }

    @Test
    public void aLostWriteIsFoundWhereItShouldBe() throws IOException {
        writes(0, 40);
        put(DiskWriterImage.expectedBlock(21, BLOCKS), 5); // write 37 to block 5 never landed

        AssertionError e = refused(() -> DiskWriterImage.check(image, BLOCKS, true));

        assertTrue(e.getMessage(), e.getMessage().contains("block 5 holds write 21, but the writes up to 39 leave write 37 there"));
    }

    @Test
    public void aChangedWordIsFoundEvenWhileTheGuestWrites() throws IOException {
        writes(0, 10);
        ByteBuffer bad = DiskWriterImage.expectedBlock(3, BLOCKS);
        bad.putLong(800, bad.getLong(800) ^ 1);
        put(bad, 3);
        put(bad, 4); // two half-written blocks are one too many, even while writing

        AssertionError quiet = refused(() -> DiskWriterImage.check(image, BLOCKS, true));
        AssertionError live = refused(() -> DiskWriterImage.check(image, BLOCKS, false));

        assertTrue(quiet.getMessage(), quiet.getMessage().contains("block 3: word 100 of write 3"));
        assertTrue(live.getMessage(), live.getMessage().contains("2 blocks are half-written"));
    }

    @Test
    public void whileTheGuestWritesOneHalfWrittenBlockPassesButNotOnceItStopped() throws IOException {
        writes(0, 10);
        ByteBuffer torn = DiskWriterImage.expectedBlock(10, BLOCKS);
        torn.put(2048, DiskWriterImage.expectedBlock(0, BLOCKS), 2048, 2048);
        put(torn, 10);

        assertEquals(9, DiskWriterImage.check(image, BLOCKS, false).lastSeq());
        refused(() -> DiskWriterImage.check(image, BLOCKS, true));
    }

    @Test
    public void aWriteInTheWrongPlaceOrBeyondTheAreaIsFound() throws IOException {
        writes(0, 10);
        put(DiskWriterImage.expectedBlock(12, BLOCKS), 11);
        AssertionError misplaced = refused(() -> DiskWriterImage.check(image, BLOCKS, true));
        assertTrue(misplaced.getMessage(), misplaced.getMessage().contains("block 11: header says write 12, which goes to block 12"));

        put(DiskWriterImage.expectedBlock(11, BLOCKS), 11);
        put(DiskWriterImage.expectedBlock(1, BLOCKS), BLOCKS + 1);
        AssertionError beyond = refused(() -> DiskWriterImage.check(image, BLOCKS, true));
        assertTrue(beyond.getMessage(), beyond.getMessage().contains("byte " + (BLOCKS + 1) * DiskWriterImage.BLOCK_SIZE
                + " is beyond the 16 blocks"));
    }

    /** A check that read the image as one any migration could have left. */
    private interface ImageCheck {
        void run() throws IOException;
    }

    /** What the check said when it refused the image (JUnit 4.12, which Pax Exam brings, has no assertThrows). */
    private static AssertionError refused(ImageCheck check) throws IOException {
        try {
            check.run();
        } catch (AssertionError e) {
            return e;
        }
        fail("the check passed an image it should have refused");
        return null;
    }

    /** Writes {@code from} up to {@code to} (exclusive) as the program does. */
    private void writes(long from, long to) throws IOException {
        for (long seq = from; seq < to; seq++) {
            put(DiskWriterImage.expectedBlock(seq, BLOCKS), seq % BLOCKS);
        }
    }

    private void put(ByteBuffer block, long position) throws IOException {
        try (FileChannel f = FileChannel.open(image, StandardOpenOption.WRITE)) {
            f.write(block.duplicate().clear(), position * DiskWriterImage.BLOCK_SIZE);
        }
    }
}
