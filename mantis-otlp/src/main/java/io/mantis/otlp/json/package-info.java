/**
 * OTLP/JSON: the "JSON Protobuf Encoding" of the OTLP specification, read with and written to
 * Jackson's streaming API over the generated opentelemetry-proto messages. Entry point: {@link
 * io.mantis.otlp.json.OtlpJson}.
 *
 * <p>The encoding is the proto3 JSON mapping with OTLP's exceptions:
 *
 * <ul>
 *   <li>Keys are the lowerCamelCase JSON names ({@code startTimeUnixNano}).
 *   <li>Bytes fields named {@code trace_id}, {@code span_id} or {@code parent_span_id} (in Span,
 *       Span.Link, LogRecord and Exemplar) are hex, not base64: 32 digits for a trace id, 16 for a
 *       span id; any case on input, lower case on output; an empty string is an absent id. Other
 *       bytes fields ({@code AnyValue.bytesValue}) are base64 (standard or URL-safe, padding
 *       optional, on input; standard with padding on output).
 *   <li>Enums are written as integers ({@code "kind": 2}). Unknown integers are kept, as in the
 *       binary format.
 *   <li>64-bit integers (int64, uint64, fixed64, sfixed64) are written as decimal strings; both
 *       strings and numbers are read. 32-bit integers are written as numbers.
 *   <li>Doubles are numbers, or the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 *   <li>Unknown keys are skipped with their whole value, for forward compatibility.
 *   <li>{@code null} as a field's value means the default. Fields at their default (proto3
 *       implicit presence) are omitted on output; fields with explicit presence (messages, oneof
 *       members such as {@code "intValue": "0"}, optional doubles such as a histogram's {@code
 *       "min": 0}) are written whenever set.
 * </ul>
 *
 * <p>Deliberately more lenient than the OTLP specification on input, as the proto3 JSON mapping
 * is: the original snake_case field names ({@code start_time_unix_nano}) and enum value names
 * ({@code "SPAN_KIND_SERVER"}) are accepted too. OTLP says senders must not use them, but some
 * hand-rolled or generic-protobuf senders do, and reading them as what they obviously mean beats
 * silently dropping them as unknown fields. Output is always the strict form.
 *
 * <p>Also rejected on input: two members of one oneof, {@code null} inside an array, messages
 * nested deeper than protobuf's binary parser would accept (100), and trailing content after the
 * top-level object. Map fields and well-known types are not supported; OTLP uses neither.
 */
package io.mantis.otlp.json;
