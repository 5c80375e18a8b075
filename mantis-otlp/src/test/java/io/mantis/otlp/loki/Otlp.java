package io.mantis.otlp.loki;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.HexFormat;

/** Small builders for OTLP values, to keep tests readable. */
final class Otlp {

    private Otlp() {
    }

    static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    static AnyValue i(long v) {
        return AnyValue.newBuilder().setIntValue(v).build();
    }

    static AnyValue d(double v) {
        return AnyValue.newBuilder().setDoubleValue(v).build();
    }

    static AnyValue b(boolean v) {
        return AnyValue.newBuilder().setBoolValue(v).build();
    }

    static AnyValue bytes(byte... v) {
        return AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(v)).build();
    }

    static AnyValue array(AnyValue... values) {
        ArrayValue.Builder a = ArrayValue.newBuilder();
        for (AnyValue v : values) {
            a.addValues(v);
        }
        return AnyValue.newBuilder().setArrayValue(a).build();
    }

    static AnyValue map(KeyValue... kvs) {
        KeyValueList.Builder l = KeyValueList.newBuilder();
        for (KeyValue kv : kvs) {
            l.addValues(kv);
        }
        return AnyValue.newBuilder().setKvlistValue(l).build();
    }

    static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static KeyValue kv(String key, String value) {
        return kv(key, str(value));
    }

    static ByteString hex(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
