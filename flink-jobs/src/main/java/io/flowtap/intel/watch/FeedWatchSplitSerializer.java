package io.flowtap.intel.watch;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** Writes a split as its feed count, then each feed's name and content digest. */
final class FeedWatchSplitSerializer implements SimpleVersionedSerializer<FeedWatchSplit> {
    static final FeedWatchSplitSerializer INSTANCE = new FeedWatchSplitSerializer();

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(FeedWatchSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(split.inForce.size());
        for (Map.Entry<String, String> e : split.inForce.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public FeedWatchSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown feed watch split version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int n = in.readInt();
        Map<String, String> inForce = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            inForce.put(in.readUTF(), in.readUTF());
        }
        return new FeedWatchSplit(inForce);
    }
}
