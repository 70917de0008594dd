package io.flowtap.connectors.pcap;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Serializes splits and the enumerator's list of pending splits. */
final class PcapSplitSerializer implements SimpleVersionedSerializer<PcapSplit> {
    static final PcapSplitSerializer INSTANCE = new PcapSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(PcapSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        write(split, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public PcapSplit deserialize(int version, byte[] serialized) throws IOException {
        checkVersion(version);
        return read(new DataInputDeserializer(serialized));
    }

    static void write(PcapSplit split, DataOutputSerializer out) throws IOException {
        out.writeUTF(split.splitId());
        out.writeInt(split.paths().size());
        for (int i = 0; i < split.paths().size(); i++) {
            out.writeUTF(split.paths().get(i));
            out.writeUTF(split.interfaces().get(i));
        }
        out.writeInt(split.fileIndex());
        out.writeLong(split.eventsEmitted());
    }

    static PcapSplit read(DataInputDeserializer in) throws IOException {
        String id = in.readUTF();
        int n = in.readInt();
        List<String> paths = new ArrayList<>(n);
        List<String> interfaces = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            paths.add(in.readUTF());
            interfaces.add(in.readUTF());
        }
        return new PcapSplit(id, paths, interfaces, in.readInt(), in.readLong());
    }

    static void checkVersion(int version) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown pcap split serializer version " + version);
        }
    }

    /** The enumerator checkpoint: splits not yet assigned, in assignment order. */
    static final class PendingSerializer implements SimpleVersionedSerializer<List<PcapSplit>> {
        static final PendingSerializer INSTANCE = new PendingSerializer();

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(List<PcapSplit> splits) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeInt(splits.size());
            for (PcapSplit s : splits) {
                write(s, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public List<PcapSplit> deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            int n = in.readInt();
            List<PcapSplit> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                splits.add(read(in));
            }
            return splits;
        }
    }
}
