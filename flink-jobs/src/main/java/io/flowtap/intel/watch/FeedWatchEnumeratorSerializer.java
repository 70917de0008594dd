package io.flowtap.intel.watch;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Writes the unassigned splits: a count, then each split as its own serializer writes it. */
final class FeedWatchEnumeratorSerializer
        implements SimpleVersionedSerializer<List<FeedWatchSplit>> {
    static final FeedWatchEnumeratorSerializer INSTANCE = new FeedWatchEnumeratorSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(List<FeedWatchSplit> splits) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(splits.size());
        for (FeedWatchSplit s : splits) {
            byte[] b = FeedWatchSplitSerializer.INSTANCE.serialize(s);
            out.writeInt(b.length);
            out.write(b);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public List<FeedWatchSplit> deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown feed watch enumerator version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int n = in.readInt();
        List<FeedWatchSplit> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            out.add(FeedWatchSplitSerializer.INSTANCE.deserialize(1, b));
        }
        return out;
    }
}
